"""Token ids revoked by logout, kept until the tokens expire anyway."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cloudviz.store.models import RevokedToken


class RevokedTokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def revoke(self, jti: str, expires_at: datetime) -> None:
        if self.session.get(RevokedToken, jti) is None:
            self.session.add(RevokedToken(jti=jti, expires_at=expires_at))
            self.session.flush()

    def is_revoked(self, jti: str) -> bool:
        found = self.session.execute(
            select(RevokedToken.jti).where(RevokedToken.jti == jti)
        ).first()
        return found is not None

    def purge_expired(self, now: datetime | None = None) -> int:
        """Forget revocations of tokens that have expired; returns how many."""
        result = self.session.execute(
            delete(RevokedToken).where(
                RevokedToken.expires_at < (now or datetime.now(UTC))
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
