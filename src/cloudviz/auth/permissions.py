"""Roles, permissions, and the check every protected operation makes.

Five permissions: `read` (see snapshots, resources, jobs), `write` (store and
delete snapshots), `extract` (run live discovery with the server's cloud
credentials), `visualize` (render diagrams) and `admin` (users, API keys,
roles). Roles are named sets of them, fixed in code so every replica agrees:

| role     | permissions                                  |
|----------|----------------------------------------------|
| admin    | read, write, extract, visualize, admin       |
| editor   | read, write, extract, visualize              |
| user     | read, write, visualize                       |
| viewer   | read, visualize                              |

`user` is the role the troubleshooting guide hands out next to `admin`: an
ordinary member who stores and draws snapshots but cannot start discovery
against the cloud accounts. A user's effective permissions are the union of
their roles' and any permissions granted to them directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from cloudviz.errors import AuthorizationError, ValidationError


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"
    EXTRACT = "extract"
    VISUALIZE = "visualize"
    ADMIN = "admin"


ALL_PERMISSIONS: frozenset[str] = frozenset(p.value for p in Permission)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": ALL_PERMISSIONS,
    "editor": frozenset({"read", "write", "extract", "visualize"}),
    "user": frozenset({"read", "write", "visualize"}),
    "viewer": frozenset({"read", "visualize"}),
}

ROLE_DESCRIPTIONS: dict[str, str] = {
    "admin": "everything, including users, roles and API keys",
    "editor": "store, delete and draw snapshots, run live extraction",
    "user": "store and draw snapshots, no live extraction",
    "viewer": "read snapshots and draw diagrams",
}


def validate_roles(roles: Iterable[str]) -> list[str]:
    """The roles, deduplicated in order; CV010 naming any unknown one."""
    result: list[str] = []
    for role in roles:
        if role not in ROLE_PERMISSIONS:
            raise ValidationError(
                f"unknown role {role!r}",
                hint="use one of: " + ", ".join(ROLE_PERMISSIONS),
            )
        if role not in result:
            result.append(role)
    return result


def validate_permissions(permissions: Iterable[str]) -> list[str]:
    """The permissions, deduplicated and sorted; CV010 naming an unknown one."""
    result = set()
    for permission in permissions:
        if permission not in ALL_PERMISSIONS:
            raise ValidationError(
                f"unknown permission {permission!r}",
                hint="use any of: " + ", ".join(p.value for p in Permission),
            )
        result.add(permission)
    return sorted(result)


def permissions_for(roles: Iterable[str], extra: Iterable[str] = ()) -> frozenset[str]:
    """What a holder of `roles` plus directly granted `extra` may do."""
    granted: set[str] = set(extra) & ALL_PERMISSIONS
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is making a request: a user (by token) or an API key.

    `permissions` are effective: for an API key, the key's own permissions
    narrowed to what its owner may still do.
    """

    kind: str  # "user", "api_key" or "system"
    name: str
    user_id: int | None = None
    roles: tuple[str, ...] = ()
    permissions: frozenset[str] = field(default_factory=frozenset)
    api_key_id: int | None = None
    token_id: str | None = None

    def can(self, permission: str | Permission) -> bool:
        return str(permission) in self.permissions

    def require(self, permission: str | Permission) -> None:
        """Raise AuthorizationError (CV002, 403) unless allowed."""
        if not self.can(permission):
            raise AuthorizationError(
                "Insufficient permissions",
                hint=f"this needs the {str(permission)!r} permission; ask an admin "
                "to grant it (PUT /api/v1/users/{id}/roles)",
                details={"required": str(permission)},
            )

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        if self.kind == "api_key":
            return f"api-key:{self.name}"
        return self.name


SYSTEM = Principal(kind="system", name="system", permissions=ALL_PERMISSIONS)


def require(principal: Principal, permission: str | Permission) -> None:
    """`principal.require(permission)`, as a function for dependencies."""
    principal.require(permission)
