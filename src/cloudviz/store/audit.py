"""The audit log: who did what to which target, and in which request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cloudviz.store.models import AuditEntry
from cloudviz.store.paging import Page, PageRequest
from cloudviz.store.timestamps import format_timestamp


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    request_id: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": format_timestamp(self.at),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "request_id": self.request_id,
            "detail": self.detail,
        }


class AuditService:
    """Records actions in the caller's transaction, so they commit together."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        actor: str,
        action: str,
        target: str | None = None,
        *,
        request_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Add one entry, e.g. `record("alice", "snapshot.delete", id)`."""
        self.session.add(
            AuditEntry(
                actor=actor[:255],
                action=action[:64],
                target=target[:255] if target else None,
                request_id=request_id,
                detail=detail or {},
            )
        )
        self.session.flush()

    def list(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        page: PageRequest | None = None,
    ) -> Page[AuditRecord]:
        """Entries, newest first."""
        page = page or PageRequest()
        conditions = []
        if actor:
            conditions.append(AuditEntry.actor == actor)
        if action:
            conditions.append(AuditEntry.action == action)
        total = self.session.execute(
            select(func.count()).select_from(AuditEntry).where(*conditions)
        ).scalar_one()
        rows = self.session.scalars(
            select(AuditEntry)
            .where(*conditions)
            .order_by(AuditEntry.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        items = [
            AuditRecord(r.id, r.at, r.actor, r.action, r.target, r.request_id, r.detail)
            for r in rows
        ]
        return Page(items, total, page.offset, page.limit)
