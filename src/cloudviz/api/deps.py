"""Dependencies routes declare as `Annotated` types.

```python
@router.delete("/{snapshot_id}")
def delete_snapshot(snapshot_id: str, session: DbSession, who: Writer) -> None: ...
```

- `DbSession`: one SQLAlchemy session per request; it commits when the route
  function returns (before the response is sent, so a failed commit is the
  client's error response, not a lie) and rolls back on any error. Opening it
  costs nothing until the first query.
- `CurrentPrincipal`: the caller, from `X-API-Key` or `Authorization: Bearer`;
  401 (CV001) without credentials, 403 for an invalid API key. Remembered for
  a few seconds per worker (see `cloudviz.recent`).
- `Reader`, `Writer`, `Extractor`, `Visualizer`, `Admin`: the principal after
  checking one permission (403 "Insufficient permissions", CV002).
- `Audit`: records an action with the caller and the request id.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from cloudviz.api.state import ServerState
from cloudviz.auth.permissions import Permission, Principal
from cloudviz.auth.service import AuthService
from cloudviz.errors import AuthenticationError
from cloudviz.recent import credential_key
from cloudviz.store.audit import AuditService
from cloudviz.store.paging import MAX_LIMIT

# Database integers are 32-bit on every backend; larger values find nothing.
MAX_ID = 2**31 - 1
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
KeyId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def server_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


Server = Annotated[ServerState, Depends(server_state)]


async def db_session(state: Server) -> AsyncIterator[Session]:
    # Async so that a request which never queries pays no thread hops; the
    # commit and rollback, which do talk to the database, run in threads.
    session = state.database.new_session()
    try:
        with state.database.translated_errors():
            yield session
            if session.in_transaction():
                await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        # Without a transaction there is no connection to give back: no I/O.
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


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


async def bearer_token(credentials: BearerCredentials) -> str:
    """The token of `Authorization: Bearer`, or 401 (CV001)."""
    if credentials is None or not credentials.credentials:
        raise AuthenticationError(
            "Not authenticated",
            hint="send Authorization: Bearer <token> (POST /auth/login) "
            "or X-API-Key: <key>",
        )
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]


async def auth_service(session: DbSession, state: Server) -> AuthService:
    return AuthService(session, state.settings.auth)


Auth = Annotated[AuthService, Depends(auth_service)]


def resolve_principal(
    state: ServerState, token: str | None, api_key: str | None
) -> Principal:
    """Check credentials against the database, in a unit of work of their own.

    Its own transaction, committed at once: verifying an API key stamps its
    last use, and the request must not hold that write (SQLite has a single
    writer) while it does its own work.
    """
    with state.database.session() as session:
        auth = AuthService(session, state.settings.auth)
        if api_key:
            return auth.principal_from_api_key(api_key)
        assert token is not None
        return auth.principal_from_token(token)


async def current_principal(
    state: Server, credentials: BearerCredentials, api_key: ApiKeyValue
) -> Principal:
    """Who is calling: an API key wins over a bearer token when both are sent."""
    token = None if api_key else await bearer_token(credentials)
    key = (
        credential_key("key", api_key)
        if api_key
        else credential_key("token", token or "")
    )
    remembered = state.principals.get(key)
    if remembered is not None:
        return remembered
    # Requests that miss together (the memory expires for all of them at
    # once) share one database check instead of each starting their own.
    lookup = state.principal_lookups.get(key)
    if lookup is None:
        lookup = asyncio.ensure_future(
            run_in_threadpool(resolve_principal, state, token, api_key)
        )
        state.principal_lookups[key] = lookup
        lookup.add_done_callback(lambda done: _lookup_finished(state, key, done))
    return await asyncio.shield(lookup)


def _lookup_finished(
    state: ServerState, key: str, done: asyncio.Future[Principal]
) -> None:
    failed = done.cancelled() or done.exception() is not None
    # Not remembered if credentials changed meanwhile (forget_principals).
    if state.principal_lookups.get(key) is done:
        del state.principal_lookups[key]
        if not failed:
            state.principals.put(key, done.result())


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_permission(
    permission: Permission,
) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency giving the principal once it holds `permission`."""

    async def check(principal: CurrentPrincipal) -> Principal:
        principal.require(permission)
        return principal

    check.__name__ = f"require_{permission.value}"
    return check


require_visualize = require_permission(Permission.VISUALIZE)

Reader = Annotated[Principal, Depends(require_permission(Permission.READ))]
Writer = Annotated[Principal, Depends(require_permission(Permission.WRITE))]
Extractor = Annotated[Principal, Depends(require_permission(Permission.EXTRACT))]
Visualizer = Annotated[Principal, Depends(require_visualize)]
Admin = Annotated[Principal, Depends(require_permission(Permission.ADMIN))]


@dataclass(slots=True)
class AuditTrail:
    """Records actions of this request's caller in this request's transaction.

    Recording writes to the database: async routes call it in a thread.
    """

    service: AuditService
    actor: str
    request_id: str

    def __call__(self, action: str, target: str | None = None, **detail: Any) -> None:
        self.service.record(
            self.actor, action, target, request_id=self.request_id, detail=detail
        )


async def audit_trail(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> AuditTrail:
    request_id = str(request.scope.get("state", {}).get("request_id", ""))
    return AuditTrail(AuditService(session), principal.actor, request_id)


Audit = Annotated[AuditTrail, Depends(audit_trail)]
