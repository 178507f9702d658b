"""JWT access and refresh tokens (PyJWT, HMAC with `auth.jwt_secret`).

Claims: `sub` (the user id), `name`, `roles`, `perms`, `type` (`access` or
`refresh`), `jti` (a random id, what logout revokes), `iat` and `exp`.
Lifetimes come from `auth.access_token_minutes` and `auth.refresh_token_days`.
The permissions in a token describe it when issued; the API re-reads the
user on each request so a role change or a deactivation applies at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from cloudviz.config import DEFAULT_JWT_SECRET, AuthSettings
from cloudviz.errors import AuthenticationError, ConfigurationError

ACCESS = "access"
REFRESH = "refresh"
_REFRESH_HINT = "refresh it with POST /auth/refresh or log in again (POST /auth/login)"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """A verified token's content."""

    user_id: int
    username: str
    roles: tuple[str, ...]
    permissions: frozenset[str]
    type: str
    jti: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token is valid
    token_type: str = "bearer"

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": self.token_type,
            "expires_in": self.expires_in,
        }


class TokenCodec:
    """Issues and verifies tokens with one secret and algorithm."""

    def __init__(self, settings: AuthSettings) -> None:
        self._secret = settings.jwt_secret.get_secret_value()
        self._algorithm = settings.jwt_algorithm
        self.access_lifetime = timedelta(minutes=settings.access_token_minutes)
        self.refresh_lifetime = timedelta(days=settings.refresh_token_days)

    def issue(
        self,
        *,
        user_id: int,
        username: str,
        roles: list[str] | tuple[str, ...],
        permissions: frozenset[str] | set[str],
        token_type: str,
        now: datetime | None = None,
    ) -> str:
        issued = now or datetime.now(UTC)
        lifetime = (
            self.access_lifetime if token_type == ACCESS else self.refresh_lifetime
        )
        claims = {
            "sub": str(user_id),
            "name": username,
            "roles": list(roles),
            "perms": sorted(permissions),
            "type": token_type,
            "jti": secrets.token_hex(16),
            "iat": int(issued.timestamp()),
            "exp": int((issued + lifetime).timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=self._algorithm)

    def pair(
        self,
        *,
        user_id: int,
        username: str,
        roles: list[str],
        permissions: frozenset[str],
    ) -> TokenPair:
        common: dict[str, Any] = {
            "user_id": user_id,
            "username": username,
            "roles": roles,
            "permissions": permissions,
        }
        return TokenPair(
            access_token=self.issue(token_type=ACCESS, **common),
            refresh_token=self.issue(token_type=REFRESH, **common),
            expires_in=int(self.access_lifetime.total_seconds()),
        )

    def decode(self, token: str, expected_type: str = ACCESS) -> TokenClaims:
        """The verified claims; CV001 for an expired, forged or wrong token."""
        try:
            raw = jwt.decode(
                token,
                self._secret,
                algorithms=[self._algorithm],
                options={"require": ["sub", "exp", "jti", "type"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("Token has expired", hint=_REFRESH_HINT) from None
        except jwt.InvalidTokenError:
            raise AuthenticationError(
                "Invalid token", hint="log in again (POST /auth/login)"
            ) from None
        if raw["type"] != expected_type:
            raise AuthenticationError(
                f"Invalid token: a {raw['type']} token where a {expected_type} "
                "token is needed",
                hint="send the access token in Authorization: Bearer; use the "
                "refresh token only with POST /auth/refresh",
            )
        try:
            user_id = int(raw["sub"])
        except ValueError:
            raise AuthenticationError("Invalid token") from None
        return TokenClaims(
            user_id=user_id,
            username=str(raw.get("name", "")),
            roles=tuple(raw.get("roles", ())),
            permissions=frozenset(raw.get("perms", ())),
            type=raw["type"],
            jti=str(raw["jti"]),
            issued_at=datetime.fromtimestamp(int(raw.get("iat", 0)), UTC),
            expires_at=datetime.fromtimestamp(int(raw["exp"]), UTC),
        )


MIN_SECRET_LENGTH = 32


def check_jwt_secret(settings: AuthSettings) -> None:
    """Refuse a default, missing or short JWT secret outside development.

    The server calls this before it starts; CV003 says how to set one.
    """
    if settings.environment != "production":
        return
    secret = settings.jwt_secret.get_secret_value()
    if not secret or secret == DEFAULT_JWT_SECRET or len(secret) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            "refusing to start in production with a default, missing or short "
            "JWT secret",
            hint="set auth.jwt_secret (or CLOUDVIZ_AUTH__JWT_SECRET) to at least "
            f"{MIN_SECRET_LENGTH} random characters, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`',
        )
