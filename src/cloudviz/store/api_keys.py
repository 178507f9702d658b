"""API keys: created with their plaintext shown once, verified by hash."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudviz.auth.api_keys import generate_key, key_matches, parse_prefix
from cloudviz.auth.permissions import Principal, permissions_for, validate_permissions
from cloudviz.errors import (
    AuthorizationError,
    InvalidApiKeyError,
    NotFoundError,
    ValidationError,
)
from cloudviz.store.models import ApiKey, User
from cloudviz.store.timestamps import format_optional

log = logging.getLogger(__name__)

# Writing last_used_at on every request would turn each read into a write;
# once a minute is precise enough to spot unused keys.
_TOUCH_INTERVAL = timedelta(minutes=1)
_INVALID = "Invalid API key"
_INVALID_HINT = (
    "check the X-API-Key header, or create a new key (POST /api/v1/auth/api-keys)"
)


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    """A key's metadata; the plaintext is never available after creation."""

    id: int
    name: str
    prefix: str
    permissions: tuple[str, ...]
    owner_id: int | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: ApiKey) -> ApiKeyInfo:
        return cls(
            id=row.id,
            name=row.name,
            prefix=row.prefix,
            permissions=tuple(row.permissions or ()),
            owner_id=row.owner_id,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )

    @property
    def active(self) -> bool:
        expired = self.expires_at is not None and self.expires_at <= datetime.now(UTC)
        return self.revoked_at is None and not expired

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "permissions": list(self.permissions),
            "owner_id": self.owner_id,
            "created_at": format_optional(self.created_at),
            "last_used_at": format_optional(self.last_used_at),
            "expires_at": format_optional(self.expires_at),
            "revoked_at": format_optional(self.revoked_at),
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class CreatedApiKey:
    """A new key: `key` is the plaintext, shown to its creator this once."""

    key: str
    info: ApiKeyInfo

    def to_dict(self) -> dict[str, Any]:
        return {**self.info.to_dict(), "key": self.key}


class ApiKeyService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self,
        name: str,
        permissions: list[str],
        owner_id: int | None = None,
        *,
        creator: Principal | None = None,
        expires_at: datetime | None = None,
    ) -> CreatedApiKey:
        """A new key with `permissions`; a creator cannot grant what they lack."""
        name = name.strip()
        if not name or len(name) > 150:
            raise ValidationError("name: give the key a name of 1-150 characters")
        granted = validate_permissions(permissions)
        if not granted:
            raise ValidationError(
                "permissions: give the key at least one permission",
                hint='for example ["read"]',
            )
        if creator is not None:
            missing = set(granted) - creator.permissions
            if missing:
                raise AuthorizationError(
                    "Insufficient permissions",
                    hint="a key cannot have permissions its creator lacks: "
                    + ", ".join(sorted(missing)),
                )
        if owner_id is not None and self.session.get(User, owner_id) is None:
            raise NotFoundError(f"user {owner_id} not found")
        generated = generate_key()
        row = ApiKey(
            name=name,
            prefix=generated.prefix,
            key_hash=generated.key_hash,
            permissions=granted,
            owner_id=owner_id,
            expires_at=expires_at,
        )
        self.session.add(row)
        self.session.flush()
        log.info("api_key.created id=%s name=%s owner=%s", row.id, name, owner_id)
        return CreatedApiKey(generated.plaintext, ApiKeyInfo.from_row(row))

    def list(
        self, owner_id: int | None = None, *, include_revoked: bool = True
    ) -> list[ApiKeyInfo]:
        """Keys, oldest first; only `owner_id`'s when given."""
        query = select(ApiKey).order_by(ApiKey.id)
        if owner_id is not None:
            query = query.where(ApiKey.owner_id == owner_id)
        if not include_revoked:
            query = query.where(ApiKey.revoked_at.is_(None))
        return [ApiKeyInfo.from_row(row) for row in self.session.scalars(query)]

    def get(self, key_id: int) -> ApiKeyInfo:
        row = self.session.get(ApiKey, key_id)
        if row is None:
            raise NotFoundError(f"API key {key_id} not found")
        return ApiKeyInfo.from_row(row)

    def revoke(self, key_id: int, *, owner_id: int | None = None) -> ApiKeyInfo:
        """Revoke a key; with `owner_id`, only that user's key is found."""
        row = self.session.get(ApiKey, key_id)
        if row is None or (owner_id is not None and row.owner_id != owner_id):
            raise NotFoundError(
                f"API key {key_id} not found",
                hint="list keys with `cloudviz api-keys list`",
            )
        if row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)
            self.session.flush()
            log.info("api_key.revoked id=%s name=%s", row.id, row.name)
        return ApiKeyInfo.from_row(row)

    def verify(self, header_value: str) -> Principal:
        """The principal an `X-API-Key` value stands for; 403 CV001 if none."""
        prefix = parse_prefix(header_value or "")
        row = None
        if prefix is not None:
            row = self.session.scalars(
                select(ApiKey).where(ApiKey.prefix == prefix)
            ).one_or_none()
        if row is None or not key_matches(header_value, row.key_hash):
            raise InvalidApiKeyError(_INVALID, hint=_INVALID_HINT)
        info = ApiKeyInfo.from_row(row)
        if not info.active:
            raise InvalidApiKeyError(
                _INVALID, hint=_INVALID_HINT + " (this key is revoked or expired)"
            )

        permissions = frozenset(info.permissions)
        if row.owner_id is not None:
            owner = self.session.get(User, row.owner_id)
            if owner is None or not owner.is_active:
                raise InvalidApiKeyError(_INVALID, hint="the key's owner is disabled")
            permissions &= permissions_for(owner.roles, owner.permissions)

        now = datetime.now(UTC)
        if row.last_used_at is None or now - row.last_used_at > _TOUCH_INTERVAL:
            row.last_used_at = now
            self.session.flush()
        return Principal(
            kind="api_key",
            name=row.name,
            user_id=row.owner_id,
            permissions=permissions,
            api_key_id=row.id,
        )
