"""Users and what they may do (admin only)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from cloudviz.api.deps import Admin, Audit, DbSession, Limit, Offset, Server, UserId
from cloudviz.api.errors import error_responses
from cloudviz.api.paging import PageOut
from cloudviz.api.routing import JsonBodyRoute
from cloudviz.store.paging import DEFAULT_LIMIT, PageRequest
from cloudviz.store.users import UserInfo, UserService

router = APIRouter(prefix="/api/v1/users", tags=["users"], route_class=JsonBodyRoute)

ADMIN_ERRORS = error_responses(401, 403, 404, 422)


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=150, examples=["alice"])
    password: str = Field(min_length=1, max_length=1024)
    roles: list[str] = Field(default_factory=lambda: ["viewer"], examples=[["editor"]])
    permissions: list[str] = Field(default_factory=list)


class UserOut(BaseModel):
    id: int
    username: str
    roles: list[str]
    permissions: list[str] = Field(description="Granted directly, beyond the roles.")
    effective_permissions: list[str]
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, user: UserInfo) -> UserOut:
        return cls(
            id=user.id,
            username=user.username,
            roles=list(user.roles),
            permissions=list(user.permissions),
            effective_permissions=sorted(user.effective_permissions),
            is_active=user.is_active,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


class RolesUpdate(BaseModel):
    roles: list[str] = Field(examples=[["admin", "user"]])


class PermissionsGrant(BaseModel):
    permissions: list[str] = Field(examples=[["extract", "visualize"]])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses=error_responses(400, 401, 403, 409, 422),
)
def create_user(
    body: UserCreate, session: DbSession, admin: Admin, audit: Audit
) -> UserOut:
    """Create a user with roles and, optionally, extra permissions."""
    user = UserService(session).create(
        body.username, body.password, body.roles, body.permissions
    )
    audit("user.create", str(user.id), username=user.username, roles=body.roles)
    return UserOut.of(user)


@router.get("", response_model=PageOut[UserOut], responses=ADMIN_ERRORS)
def list_users(
    session: DbSession,
    admin: Admin,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
) -> PageOut[UserOut]:
    """Users, oldest first."""
    page = UserService(session).list(PageRequest(offset, limit))
    return PageOut[UserOut].of(page, UserOut.of)


@router.get("/{user_id}", response_model=UserOut, responses=ADMIN_ERRORS)
def get_user(user_id: UserId, session: DbSession, admin: Admin) -> UserOut:
    """One user."""
    return UserOut.of(UserService(session).get(user_id))


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=ADMIN_ERRORS,
)
def delete_user(
    user_id: UserId, session: DbSession, admin: Admin, audit: Audit, state: Server
) -> None:
    """Delete a user and their API keys; their snapshots stay."""
    user = UserService(session).delete(user_id)
    audit("user.delete", str(user_id), username=user.username)
    state.forget_principals()


@router.put("/{user_id}/roles", response_model=UserOut, responses=ADMIN_ERRORS)
def set_roles(
    user_id: UserId,
    body: RolesUpdate,
    session: DbSession,
    admin: Admin,
    audit: Audit,
    state: Server,
) -> UserOut:
    """Replace a user's roles."""
    user = UserService(session).set_roles(user_id, body.roles)
    audit("user.set_roles", str(user_id), roles=list(user.roles))
    state.forget_principals()
    return UserOut.of(user)


@router.post("/{user_id}/permissions", response_model=UserOut, responses=ADMIN_ERRORS)
def grant_permissions(
    user_id: UserId,
    body: PermissionsGrant,
    session: DbSession,
    admin: Admin,
    audit: Audit,
    state: Server,
) -> UserOut:
    """Grant permissions on top of a user's roles."""
    user = UserService(session).grant_permissions(user_id, body.permissions)
    audit("user.grant_permissions", str(user_id), permissions=body.permissions)
    state.forget_principals()
    return UserOut.of(user)
