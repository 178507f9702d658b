"""Users: accounts with argon2 password hashes, roles and extra permissions."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cloudviz.auth.passwords import (
    check_password_strength,
    hash_password,
    needs_rehash,
    verify_password,
)
from cloudviz.auth.permissions import (
    Principal,
    permissions_for,
    validate_permissions,
    validate_roles,
)
from cloudviz.errors import AuthenticationError, NotFoundError, ValidationError
from cloudviz.store.models import User
from cloudviz.store.paging import Page, PageRequest
from cloudviz.store.timestamps import format_optional, format_timestamp

log = logging.getLogger(__name__)

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,149}$")


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as callers see it: never the password hash."""

    id: int
    username: str
    roles: tuple[str, ...]
    permissions: tuple[str, ...]  # granted directly, on top of the roles
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def from_row(cls, row: User) -> UserInfo:
        return cls(
            id=row.id,
            username=row.username,
            roles=tuple(row.roles or ()),
            permissions=tuple(row.permissions or ()),
            is_active=row.is_active,
            created_at=row.created_at,
            last_login_at=row.last_login_at,
        )

    @property
    def effective_permissions(self) -> frozenset[str]:
        return permissions_for(self.roles, self.permissions)

    def principal(self, token_id: str | None = None) -> Principal:
        return Principal(
            kind="user",
            name=self.username,
            user_id=self.id,
            roles=self.roles,
            permissions=self.effective_permissions,
            token_id=token_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "roles": list(self.roles),
            "permissions": list(self.permissions),
            "effective_permissions": sorted(self.effective_permissions),
            "is_active": self.is_active,
            "created_at": format_timestamp(self.created_at),
            "last_login_at": format_optional(self.last_login_at),
        }


_BAD_LOGIN = "Invalid username or password"


def _is_admin(row: User) -> bool:
    return "admin" in permissions_for(row.roles, row.permissions)


class UserService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, user_id: int) -> User:
        row = self.session.get(User, user_id)
        if row is None:
            raise NotFoundError(
                f"user {user_id} not found", hint="list users with GET /api/v1/users"
            )
        return row

    def _by_username(self, username: str) -> User | None:
        return self.session.scalars(
            select(User).where(User.username == username)
        ).one_or_none()

    def create(
        self,
        username: str,
        password: str,
        roles: list[str] | tuple[str, ...] = ("viewer",),
        permissions: list[str] | tuple[str, ...] = (),
    ) -> UserInfo:
        """A new active user; CV010 for a taken or malformed name."""
        if not _USERNAME.match(username):
            raise ValidationError(
                f"username {username!r} is not allowed",
                hint="use 1-150 letters, digits and . _ @ -, starting with a "
                "letter or digit",
            )
        check_password_strength(password)
        if self._by_username(username) is not None:
            raise ValidationError(
                f"user {username!r} already exists",
                hint="choose another name, or delete the user first",
                http_status=409,
            )
        row = User(
            username=username,
            password_hash=hash_password(password),
            roles=validate_roles(roles),
            permissions=validate_permissions(permissions),
            is_active=True,
        )
        self.session.add(row)
        self.session.flush()
        log.info("user.created username=%s roles=%s", username, row.roles)
        return UserInfo.from_row(row)

    def get(self, user_id: int) -> UserInfo:
        return UserInfo.from_row(self._row(user_id))

    def get_by_username(self, username: str) -> UserInfo:
        row = self._by_username(username)
        if row is None:
            raise NotFoundError(
                f"user {username!r} not found", hint="see `cloudviz users list`"
            )
        return UserInfo.from_row(row)

    def count(self) -> int:
        return self.session.execute(select(func.count()).select_from(User)).scalar_one()

    def delete(self, user_id: int) -> UserInfo:
        """Remove a user and their API keys; their snapshots stay, unowned."""
        row = self._row(user_id)
        info = UserInfo.from_row(row)
        self._keep_an_administrator(row)
        self.session.delete(row)
        self.session.flush()
        log.info("user.deleted username=%s", info.username)
        return info

    def _keep_an_administrator(self, losing: User) -> None:
        """Refuse a change that would leave no active user able to administer."""
        if not (losing.is_active and _is_admin(losing)):
            return
        others = self.session.scalars(
            select(User).where(User.is_active.is_(True), User.id != losing.id)
        )
        if not any(_is_admin(user) for user in others):
            raise ValidationError(
                f"{losing.username} is the last administrator",
                hint="make another user an admin first",
                http_status=409,
            )

    def set_roles(self, user_id: int, roles: list[str]) -> UserInfo:
        """Replace the user's roles."""
        row = self._row(user_id)
        new_roles = validate_roles(roles)
        if "admin" not in permissions_for(new_roles, row.permissions):
            self._keep_an_administrator(row)
        row.roles = new_roles
        self.session.flush()
        return UserInfo.from_row(row)

    def grant_permissions(self, user_id: int, permissions: list[str]) -> UserInfo:
        """Add permissions on top of the user's roles."""
        row = self._row(user_id)
        row.permissions = validate_permissions([*row.permissions, *permissions])
        self.session.flush()
        return UserInfo.from_row(row)

    def revoke_permissions(self, user_id: int, permissions: list[str]) -> UserInfo:
        row = self._row(user_id)
        removed = set(validate_permissions(permissions))
        row.permissions = [p for p in row.permissions if p not in removed]
        self.session.flush()
        return UserInfo.from_row(row)

    def set_active(self, user_id: int, active: bool) -> UserInfo:
        row = self._row(user_id)
        if not active:
            self._keep_an_administrator(row)
        row.is_active = active
        self.session.flush()
        return UserInfo.from_row(row)

    def set_password(self, user_id: int, password: str) -> None:
        check_password_strength(password)
        row = self._row(user_id)
        row.password_hash = hash_password(password)
        self.session.flush()

    def authenticate(self, username: str, password: str) -> UserInfo:
        """The user whose password this is; CV001 otherwise, same message always."""
        row = self._by_username(username)
        if not verify_password(row.password_hash if row else None, password):
            raise AuthenticationError(
                _BAD_LOGIN, hint="check the username and password"
            )
        assert row is not None
        if not row.is_active:
            raise AuthenticationError(
                "this account is disabled", hint="ask an administrator to enable it"
            )
        if needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        row.last_login_at = datetime.now(UTC)
        self.session.flush()
        return UserInfo.from_row(row)

    def list(self, page: PageRequest | None = None) -> Page[UserInfo]:
        page = page or PageRequest()
        total = self.count()
        rows = self.session.scalars(
            select(User).order_by(User.id).offset(page.offset).limit(page.limit)
        )
        return Page(
            [UserInfo.from_row(r) for r in rows], total, page.offset, page.limit
        )
