"""Dependencies routes declare as `Annotated` types.

```python
@router.delete("/{snapshot_id}")
def delete_snapshot(snapshot_id: str, session: DbSession, who: Writer) -> None: ...
```

- `DbSession`: one SQLAlchemy session per request; it commits when the route
  function returns (before the response is sent, so a failed commit is the
  client's error response, not a lie) and rolls back on any error.
- `CurrentPrincipal`: the caller, from `X-API-Key` or `Authorization: Bearer`;
  401 (CV001) without credentials, 403 for an invalid API key.
- `Reader`, `Writer`, `Extractor`, `Visualizer`, `Admin`: the principal after
  checking one permission (403 "Insufficient permissions", CV002).
- `Audit`: records an action with the caller and the request id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from cloudviz.api.state import ServerState
from cloudviz.auth.permissions import Permission, Principal
from cloudviz.auth.service import AuthService
from cloudviz.errors import AuthenticationError
from cloudviz.store.audit import AuditService
from cloudviz.store.paging import MAX_LIMIT

# Database integers are 32-bit on every backend; larger values find nothing.
MAX_ID = 2**31 - 1
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
KeyId = Annotated[int, Path(ge=1, le=MAX_ID)]


def server_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


Server = Annotated[ServerState, Depends(server_state)]


def db_session(state: Server) -> Iterator[Session]:
    with state.database.session() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="An access token from POST /auth/login.",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key from POST /api/v1/auth/api-keys.",
)
BearerCredentials = Annotated[
    HTTPAuthorizationCredentials | None, Depends(bearer_scheme)
]
ApiKeyValue = Annotated[str | None, Depends(api_key_scheme)]


def bearer_token(credentials: BearerCredentials) -> str:
    """The token of `Authorization: Bearer`, or 401 (CV001)."""
    if credentials is None or not credentials.credentials:
        raise AuthenticationError(
            "Not authenticated",
            hint="send Authorization: Bearer <token> (POST /auth/login) "
            "or X-API-Key: <key>",
        )
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]


def auth_service(session: DbSession, state: Server) -> AuthService:
    return AuthService(session, state.settings.auth)


Auth = Annotated[AuthService, Depends(auth_service)]


def current_principal(
    auth: Auth, session: DbSession, credentials: BearerCredentials, api_key: ApiKeyValue
) -> Principal:
    """Who is calling: an API key wins over a bearer token when both are sent."""
    if api_key:
        principal = auth.principal_from_api_key(api_key)
        # Verifying a key may stamp its last use: commit that on its own so the
        # request holds no write lock (SQLite has one writer) while it works.
        session.commit()
        return principal
    return auth.principal_from_token(bearer_token(credentials))


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_permission(permission: Permission) -> Callable[[Principal], Principal]:
    """A dependency giving the principal once it holds `permission`."""

    def check(principal: CurrentPrincipal) -> Principal:
        principal.require(permission)
        return principal

    check.__name__ = f"require_{permission.value}"
    return check


Reader = Annotated[Principal, Depends(require_permission(Permission.READ))]
Writer = Annotated[Principal, Depends(require_permission(Permission.WRITE))]
Extractor = Annotated[Principal, Depends(require_permission(Permission.EXTRACT))]
Visualizer = Annotated[Principal, Depends(require_permission(Permission.VISUALIZE))]
Admin = Annotated[Principal, Depends(require_permission(Permission.ADMIN))]


@dataclass(slots=True)
class AuditTrail:
    """Records actions of this request's caller in this request's transaction."""

    service: AuditService
    actor: str
    request_id: str

    def __call__(self, action: str, target: str | None = None, **detail: Any) -> None:
        self.service.record(
            self.actor, action, target, request_id=self.request_id, detail=detail
        )


def audit_trail(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> AuditTrail:
    request_id = str(request.scope.get("state", {}).get("request_id", ""))
    return AuditTrail(AuditService(session), principal.actor, request_id)


Audit = Annotated[AuditTrail, Depends(audit_trail)]
