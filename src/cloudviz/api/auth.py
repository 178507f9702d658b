"""Log in, refresh, verify and log out; API keys; permissions and roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from cloudviz.api.deps import (
    Audit,
    Auth,
    BearerToken,
    CurrentPrincipal,
    DbSession,
    KeyId,
    Server,
)
from cloudviz.api.errors import error_responses
from cloudviz.api.routing import JsonBodyRoute
from cloudviz.auth.permissions import ROLE_DESCRIPTIONS, ROLE_PERMISSIONS, Permission
from cloudviz.store.api_keys import ApiKeyService

router = APIRouter(prefix="/auth", tags=["auth"], route_class=JsonBodyRoute)
keys_router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=JsonBodyRoute)


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=150, examples=["admin"])
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds the access token stays valid.")


class LogoutRequest(BaseModel):
    refresh_token: str | None = Field(
        None, description="Also revoke this refresh token."
    )


class VerifyResponse(BaseModel):
    valid: bool
    user_id: int
    username: str
    roles: list[str]
    permissions: list[str]
    expires_at: datetime


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=150, examples=["my-api-key"])
    permissions: list[str] = Field(examples=[["read", "write"]])
    expires_in_days: int | None = Field(None, ge=1, le=3650)


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    permissions: list[str]
    owner_id: int | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself; shown this once, never again.")


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]


class PermissionsOut(BaseModel):
    principal: str
    kind: str
    permissions: list[str]
    available: dict[str, str]


class RoleOut(BaseModel):
    name: str
    description: str
    permissions: list[str]


class RolesOut(BaseModel):
    principal: str
    roles: list[str]
    available: list[RoleOut]


PERMISSION_DESCRIPTIONS = {
    Permission.READ.value: "see snapshots, resources and jobs",
    Permission.WRITE.value: "store and delete snapshots",
    Permission.EXTRACT.value: "run live discovery with the server's credentials",
    Permission.VISUALIZE.value: "render diagrams",
    Permission.ADMIN.value: "manage users, roles and API keys",
}


@router.post(
    "/login",
    response_model=TokenResponse,
    responses=error_responses(401, 422, 429),
)
def login(body: LoginRequest, auth: Auth) -> TokenResponse:
    """Exchange a username and password for an access and a refresh token."""
    pair = auth.login(body.username, body.password)
    return TokenResponse(**pair.to_dict())


@router.post(
    "/refresh",
    response_model=TokenResponse,
    responses=error_responses(401, 429),
)
def refresh(token: BearerToken, auth: Auth) -> TokenResponse:
    """A new token pair for the refresh token in `Authorization: Bearer`.

    The refresh token used is revoked: each one works once.
    """
    return TokenResponse(**auth.refresh(token).to_dict())


@router.get("/verify", response_model=VerifyResponse, responses=error_responses(401))
def verify(token: BearerToken, auth: Auth) -> VerifyResponse:
    """Whether the access token is valid, whose it is and until when."""
    claims = auth.verify(token)
    return VerifyResponse(
        valid=True,
        user_id=claims.user_id,
        username=claims.username,
        roles=list(claims.roles),
        permissions=sorted(claims.permissions),
        expires_at=claims.expires_at,
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401),
)
def logout(
    token: BearerToken, auth: Auth, state: Server, body: LogoutRequest | None = None
) -> None:
    """Revoke the access token (and the refresh token, when given)."""
    auth.logout(token, body.refresh_token if body else None)
    state.forget_principals()


@keys_router.post(
    "/api-keys",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=error_responses(400, 401, 403, 422),
)
def create_api_key(
    body: ApiKeyCreate, session: DbSession, principal: CurrentPrincipal, audit: Audit
) -> ApiKeyCreated:
    """Create an API key for yourself with some of your own permissions."""
    expires_at = (
        datetime.now(UTC) + timedelta(days=body.expires_in_days)
        if body.expires_in_days
        else None
    )
    created = ApiKeyService(session).create(
        body.name,
        body.permissions,
        principal.user_id,
        creator=principal,
        expires_at=expires_at,
    )
    audit("api_key.create", str(created.info.id), name=body.name)
    return ApiKeyCreated(key=created.key, **created.info.to_dict())


@keys_router.get(
    "/api-keys", response_model=ApiKeyList, responses=error_responses(401, 403)
)
def list_api_keys(session: DbSession, principal: CurrentPrincipal) -> ApiKeyList:
    """Your API keys; an admin sees everyone's."""
    owner = None if principal.can(Permission.ADMIN) else principal.user_id
    keys = ApiKeyService(session).list(owner_id=owner)
    return ApiKeyList(items=[ApiKeyOut(**key.to_dict()) for key in keys])


@keys_router.delete(
    "/api-keys/{key_id}",
    response_model=ApiKeyOut,
    responses=error_responses(401, 403, 404),
)
def revoke_api_key(
    key_id: KeyId,
    session: DbSession,
    principal: CurrentPrincipal,
    audit: Audit,
    state: Server,
) -> ApiKeyOut:
    """Revoke one of your API keys (an admin may revoke any)."""
    owner = None if principal.can(Permission.ADMIN) else principal.user_id
    info = ApiKeyService(session).revoke(key_id, owner_id=owner)
    audit("api_key.revoke", str(key_id))
    state.forget_principals()
    return ApiKeyOut(**info.to_dict())


@keys_router.get(
    "/permissions", response_model=PermissionsOut, responses=error_responses(401, 403)
)
def my_permissions(principal: CurrentPrincipal) -> PermissionsOut:
    """What you may do, and every permission there is."""
    return PermissionsOut(
        principal=principal.name,
        kind=principal.kind,
        permissions=sorted(principal.permissions),
        available=PERMISSION_DESCRIPTIONS,
    )


@keys_router.get("/roles", response_model=RolesOut, responses=error_responses(401, 403))
def my_roles(principal: CurrentPrincipal) -> RolesOut:
    """Your roles, and what every role grants."""
    return RolesOut(
        principal=principal.name,
        roles=list(principal.roles),
        available=[
            RoleOut(
                name=name,
                description=ROLE_DESCRIPTIONS[name],
                permissions=sorted(permissions),
            )
            for name, permissions in ROLE_PERMISSIONS.items()
        ],
    )
