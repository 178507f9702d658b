"""Authentication and authorization: passwords, tokens, API keys, permissions.

The pure parts (hashing, token codec, key format, the role map) live here;
`AuthService` joins them to the users and revocations kept in the store.
"""

from cloudviz.auth.permissions import (
    ALL_PERMISSIONS,
    ROLE_DESCRIPTIONS,
    ROLE_PERMISSIONS,
    SYSTEM,
    Permission,
    Principal,
    permissions_for,
    require,
)
from cloudviz.auth.tokens import TokenClaims, TokenCodec, TokenPair, check_jwt_secret

__all__ = [
    "ALL_PERMISSIONS",
    "ROLE_DESCRIPTIONS",
    "ROLE_PERMISSIONS",
    "SYSTEM",
    "Permission",
    "Principal",
    "TokenClaims",
    "TokenCodec",
    "TokenPair",
    "check_jwt_secret",
    "permissions_for",
    "require",
]
