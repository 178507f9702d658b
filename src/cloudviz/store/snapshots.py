"""Snapshots: stored inventories, listed, read back, queried and compared.

`SnapshotService(session)` is what the API routes, the CLI and the jobs call.
It flushes but never commits: the caller's unit of work
(`Database.session()`) decides, so a snapshot is stored whole or not at all.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cloudviz.errors import NotFoundError, ValidationError
from cloudviz.inventory.codec import inventory_from_dict
from cloudviz.inventory.diff import InventoryDiff, diff_inventories
from cloudviz.inventory.model import Inventory, Resource
from cloudviz.progress import NULL_PROGRESS, Progress
from cloudviz.sources.files.registry import import_files
from cloudviz.store.models import Snapshot
from cloudviz.store.paging import Page, PageRequest, contains_like
from cloudviz.store.snapshot_rows import (
    delete_snapshot_rows,
    errors_from_json,
    insert_inventory_rows,
    load_relationships,
    load_resources,
    page_resources,
    resource_conditions,
)
from cloudviz.store.timestamps import format_timestamp, parse_timestamp

log = logging.getLogger(__name__)

MAX_NAME_LENGTH = 255
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """A snapshot's metadata, without its resources."""

    id: str
    name: str
    created_at: datetime
    stored_at: datetime
    source_kind: str
    source_detail: dict[str, Any]
    resource_count: int
    relationship_count: int
    error_count: int
    errors: list[dict[str, str]]
    owner_id: int | None

    @classmethod
    def from_row(cls, row: Snapshot) -> SnapshotInfo:
        return cls(
            id=row.id,
            name=row.name,
            created_at=row.created_at,
            stored_at=row.stored_at,
            source_kind=row.source_kind,
            source_detail=dict(row.source_detail or {}),
            resource_count=row.resource_count,
            relationship_count=row.relationship_count,
            error_count=row.error_count,
            errors=list(row.errors or []),
            owner_id=row.owner_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "created_at": format_timestamp(self.created_at),
            "stored_at": format_timestamp(self.stored_at),
            "source": {"kind": self.source_kind, "detail": self.source_detail},
            "resource_count": self.resource_count,
            "relationship_count": self.relationship_count,
            "error_count": self.error_count,
            "errors": self.errors,
            "owner_id": self.owner_id,
        }


@dataclass(frozen=True, slots=True)
class SnapshotFilter:
    """Which snapshots to list: name contains, source kind, creation window."""

    name: str | None = None
    source_kind: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    owner_id: int | None = None


@dataclass(frozen=True, slots=True)
class ResourceQuery:
    """Which resources of a snapshot: globs per field, tags, free text.

    `tags` are (key, value) pairs; value `*` matches any value of the key.
    `text` matches anywhere in the name or the id, ignoring case.
    """

    kinds: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    text: str | None = None
    page: PageRequest = field(default_factory=PageRequest)


class SnapshotService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create_from_inventory(
        self,
        inventory: Inventory,
        owner_id: int | None = None,
        *,
        progress: Progress = NULL_PROGRESS,
    ) -> SnapshotInfo:
        """Store `inventory` as a new snapshot and return its metadata."""
        started = time.perf_counter()
        name = (inventory.name or "inventory").strip()
        if len(name) > MAX_NAME_LENGTH:
            raise ValidationError(
                f"name: at most {MAX_NAME_LENGTH} characters, got {len(name)}"
            )
        row = Snapshot(
            id=str(uuid.uuid4()),
            name=name,
            created_at=parse_timestamp(inventory.created_at),
            source_kind=inventory.source_kind[:64],
            source_detail=inventory.source_detail,
            schema_version=inventory.schema_version,
            resource_count=len(inventory.resources),
            relationship_count=len(inventory.relationships),
            error_count=len(inventory.errors),
            errors=[error.to_dict() for error in inventory.errors],
            owner_id=owner_id,
        )
        self.session.add(row)
        self.session.flush()
        try:
            insert_inventory_rows(self.session, row.id, inventory, progress)
        except IntegrityError as error:
            # The caller's rollback removes every row written so far.
            raise ValidationError(
                "the inventory repeats a resource id or relates resources it "
                f"does not hold: {str(error.orig).splitlines()[0]}",
                hint="validate it with `cloudviz inspect` or re-create it with "
                "`cloudviz import`",
            ) from None
        log.info(
            "snapshot.stored id=%s resources=%s relationships=%s seconds=%.2f",
            row.id,
            row.resource_count,
            row.relationship_count,
            time.perf_counter() - started,
        )
        return SnapshotInfo.from_row(row)

    def create_from_document(
        self, document: Any, owner_id: int | None = None
    ) -> SnapshotInfo:
        """Store a decoded inventory JSON document after validating it."""
        return self.create_from_inventory(inventory_from_dict(document), owner_id)

    def create_from_upload(
        self,
        data: bytes,
        filename: str,
        owner_id: int | None = None,
        *,
        name: str | None = None,
        file_format: str = "auto",
    ) -> SnapshotInfo:
        """Import an uploaded export (any format the importers read) and store it."""
        if not data.strip():
            raise ValidationError(f"{filename or 'upload'}: the file is empty")
        safe_name = _UNSAFE_FILENAME.sub("_", Path(filename or "upload").name)
        safe_name = safe_name.lstrip(".") or "upload"
        with tempfile.TemporaryDirectory(prefix="cloudviz-upload-") as folder:
            path = Path(folder) / safe_name
            path.write_bytes(data)
            return self.create_from_files(
                [path], owner_id, name=name, file_format=file_format
            )

    def create_from_files(
        self,
        paths: list[Path],
        owner_id: int | None = None,
        *,
        name: str | None = None,
        file_format: str = "auto",
        progress: Progress = NULL_PROGRESS,
    ) -> SnapshotInfo:
        """Import exports already on disk (one or several, merged) and store them.

        What `cloudviz import` reads, the same way; an upload spooled to a
        temporary file can come in here without another copy.
        """
        inventory = import_files(
            paths, file_format=file_format, name=name, progress=progress
        )
        return self.create_from_inventory(inventory, owner_id)

    def _row(self, snapshot_id: str) -> Snapshot:
        row = self.session.get(Snapshot, snapshot_id)
        if row is None:
            raise NotFoundError(
                f"snapshot {snapshot_id!r} not found",
                hint="list snapshots with GET /api/v1/snapshots",
            )
        return row

    def info(self, snapshot_id: str) -> SnapshotInfo:
        return SnapshotInfo.from_row(self._row(snapshot_id))

    def get(self, snapshot_id: str) -> Inventory:
        """The stored inventory, rebuilt from its rows in its original order."""
        row = self._row(snapshot_id)
        return Inventory(
            name=row.name,
            source_kind=row.source_kind,
            source_detail=dict(row.source_detail or {}),
            created_at=format_timestamp(row.created_at),
            resources=load_resources(self.session, row.id),
            relationships=load_relationships(self.session, row.id),
            errors=errors_from_json(list(row.errors or [])),
            schema_version=row.schema_version,
        )

    def list(
        self,
        criteria: SnapshotFilter | None = None,
        page: PageRequest | None = None,
    ) -> Page[SnapshotInfo]:
        """Snapshots, newest first."""
        criteria = criteria or SnapshotFilter()
        page = page or PageRequest()
        conditions: list[ColumnElement[bool]] = []
        if criteria.name:
            conditions.append(
                Snapshot.name.ilike(contains_like(criteria.name), escape="\\")
            )
        if criteria.source_kind:
            conditions.append(Snapshot.source_kind == criteria.source_kind)
        if criteria.created_after:
            conditions.append(Snapshot.created_at >= criteria.created_after)
        if criteria.created_before:
            conditions.append(Snapshot.created_at < criteria.created_before)
        if criteria.owner_id is not None:
            conditions.append(Snapshot.owner_id == criteria.owner_id)
        total = self.session.execute(
            select(func.count()).select_from(Snapshot).where(*conditions)
        ).scalar_one()
        rows = self.session.scalars(
            select(Snapshot)
            .where(*conditions)
            .order_by(Snapshot.created_at.desc(), Snapshot.id)
            .offset(page.offset)
            .limit(page.limit)
        )
        return Page(
            [SnapshotInfo.from_row(r) for r in rows], total, page.offset, page.limit
        )

    def delete(self, snapshot_id: str) -> None:
        """Remove a snapshot and its rows (the foreign keys cascade)."""
        row = self._row(snapshot_id)
        delete_snapshot_rows(self.session, row.id)
        self.session.delete(row)
        self.session.flush()
        log.info("snapshot.deleted id=%s", snapshot_id)

    def resources(
        self, snapshot_id: str, query: ResourceQuery | None = None
    ) -> Page[Resource]:
        """Matching resources of one snapshot, paged, in inventory order."""
        query = query or ResourceQuery()
        self._row(snapshot_id)
        conditions = resource_conditions(
            snapshot_id,
            kinds=query.kinds,
            regions=query.regions,
            providers=query.providers,
            tags=query.tags,
            text=query.text,
        )
        items, total = page_resources(
            self.session, conditions, query.page.offset, query.page.limit
        )
        return Page(items, total, query.page.offset, query.page.limit)

    def diff(self, old_id: str, new_id: str) -> InventoryDiff:
        """What changed from snapshot `old_id` to snapshot `new_id`."""
        return diff_inventories(self.get(old_id), self.get(new_id))

    def count(self) -> int:
        return self.session.execute(
            select(func.count()).select_from(Snapshot)
        ).scalar_one()
