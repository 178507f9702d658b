"""Moving inventories in and out of the snapshot tables, in bulk.

Rows go in through Core `INSERT ... VALUES` batches (psycopg's pipelined
executemany on PostgreSQL, one prepared statement on SQLite) rather than ORM
objects: a 100,000-resource estate would otherwise spend most of its time
building and tracking objects nobody reads back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cloudviz.inventory.model import Inventory, InventoryError, Relationship, Resource
from cloudviz.progress import NULL_PROGRESS, Progress
from cloudviz.store.models import Base, RelationshipRow, ResourceRow, ResourceTag
from cloudviz.store.paging import contains_like, glob_to_like, has_wildcard

BATCH_SIZE = 5_000

_resources = Base.metadata.tables[ResourceRow.__tablename__]
_tags = Base.metadata.tables[ResourceTag.__tablename__]
_relationships = Base.metadata.tables[RelationshipRow.__tablename__]


def _batches(
    rows: Iterator[dict[str, Any]], size: int
) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _resource_rows(
    snapshot_id: str, resources: Sequence[Resource]
) -> Iterator[dict[str, Any]]:
    for position, resource in enumerate(resources):
        yield {
            "snapshot_id": snapshot_id,
            "position": position,
            "resource_id": resource.id,
            "provider": resource.provider,
            "type": resource.type,
            "kind": resource.kind,
            "name": resource.name,
            "account": resource.account,
            "region": resource.region,
            "zone": resource.zone,
            "group_name": resource.group,
            "parent": resource.parent,
            "tags": resource.tags,
            "properties": resource.properties,
        }


def _tag_rows(
    snapshot_id: str, resources: Sequence[Resource]
) -> Iterator[dict[str, Any]]:
    for position, resource in enumerate(resources):
        for key, value in resource.tags.items():
            yield {
                "snapshot_id": snapshot_id,
                "position": position,
                "key": key,
                "value": value,
            }


def _relationship_rows(
    snapshot_id: str, relationships: Sequence[Relationship]
) -> Iterator[dict[str, Any]]:
    for position, rel in enumerate(relationships):
        yield {
            "snapshot_id": snapshot_id,
            "position": position,
            "source": rel.source,
            "target": rel.target,
            "type": rel.type,
        }


def insert_inventory_rows(
    session: Session,
    snapshot_id: str,
    inventory: Inventory,
    progress: Progress = NULL_PROGRESS,
) -> None:
    """Insert the resources, tags and relationships of `inventory`.

    Runs inside the caller's transaction: if any batch fails (a repeated
    resource id, a relationship naming no resource) the caller's rollback
    removes every row already written.
    """
    total = len(inventory.resources) + len(inventory.relationships)
    progress.begin(f"storing snapshot {inventory.name}", total)
    try:
        for batch in _batches(
            _resource_rows(snapshot_id, inventory.resources), BATCH_SIZE
        ):
            session.execute(_resources.insert(), batch)
            progress.advance(len(batch))
        for batch in _batches(_tag_rows(snapshot_id, inventory.resources), BATCH_SIZE):
            session.execute(_tags.insert(), batch)
        for batch in _batches(
            _relationship_rows(snapshot_id, inventory.relationships), BATCH_SIZE
        ):
            session.execute(_relationships.insert(), batch)
            progress.advance(len(batch))
    finally:
        progress.end()


def _resource_from_row(row: Any) -> Resource:
    return Resource(
        id=row.resource_id,
        provider=row.provider,
        type=row.type,
        kind=row.kind,
        name=row.name,
        account=row.account,
        region=row.region,
        zone=row.zone,
        group=row.group_name,
        parent=row.parent,
        tags=dict(row.tags or {}),
        properties=dict(row.properties or {}),
    )


_RESOURCE_COLUMNS = (
    _resources.c.resource_id,
    _resources.c.provider,
    _resources.c.type,
    _resources.c.kind,
    _resources.c.name,
    _resources.c.account,
    _resources.c.region,
    _resources.c.zone,
    _resources.c.group_name,
    _resources.c.parent,
    _resources.c.tags,
    _resources.c.properties,
)


def load_resources(session: Session, snapshot_id: str) -> list[Resource]:
    query = (
        select(*_RESOURCE_COLUMNS)
        .where(_resources.c.snapshot_id == snapshot_id)
        .order_by(_resources.c.position)
    )
    return [_resource_from_row(row) for row in session.execute(query)]


def load_relationships(session: Session, snapshot_id: str) -> list[Relationship]:
    query = (
        select(_relationships.c.source, _relationships.c.target, _relationships.c.type)
        .where(_relationships.c.snapshot_id == snapshot_id)
        .order_by(_relationships.c.position)
    )
    return [
        Relationship(row.source, row.target, row.type) for row in session.execute(query)
    ]


def errors_from_json(errors: list[dict[str, str]]) -> list[InventoryError]:
    return [
        InventoryError(e["provider"], e["scope"], e["code"], e["message"])
        for e in errors
    ]


def _match(column: Any, values: Sequence[str]) -> ColumnElement[bool]:
    """Exact values use the index; globs (`network.*`) become LIKE."""
    exact = [value for value in values if not has_wildcard(value)]
    clauses: list[ColumnElement[bool]] = [
        column.like(glob_to_like(value), escape="\\")
        for value in values
        if has_wildcard(value)
    ]
    if exact:
        clauses.append(column.in_(exact))
    return or_(*clauses)


def _has_tag(key: str, value: str) -> ColumnElement[bool]:
    condition = and_(
        _tags.c.snapshot_id == _resources.c.snapshot_id,
        _tags.c.position == _resources.c.position,
        _tags.c.key == key,
    )
    if value != "*":
        condition = and_(condition, _match(_tags.c.value, [value]))
    return exists().where(condition)


def resource_conditions(
    snapshot_id: str,
    *,
    kinds: Sequence[str] = (),
    regions: Sequence[str] = (),
    providers: Sequence[str] = (),
    tags: Sequence[tuple[str, str]] = (),
    text: str | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE clauses for a resource query; an empty criterion is no clause."""
    conditions: list[ColumnElement[bool]] = [_resources.c.snapshot_id == snapshot_id]
    for column, values in (
        (_resources.c.kind, kinds),
        (_resources.c.region, regions),
        (_resources.c.provider, providers),
    ):
        if values:
            conditions.append(_match(column, values))
    conditions.extend(_has_tag(key, value) for key, value in tags)
    if text:
        pattern = contains_like(text)
        conditions.append(
            or_(
                _resources.c.name.ilike(pattern, escape="\\"),
                _resources.c.resource_id.ilike(pattern, escape="\\"),
            )
        )
    return conditions


def select_resources(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    return select(*_RESOURCE_COLUMNS).where(*conditions).order_by(_resources.c.position)


def page_resources(
    session: Session, conditions: list[ColumnElement[bool]], offset: int, limit: int
) -> tuple[list[Resource], int]:
    """One page of matching resources in inventory order, and the total."""
    total = session.execute(
        select(func.count()).select_from(_resources).where(*conditions)
    ).scalar_one()
    rows = session.execute(select_resources(conditions).offset(offset).limit(limit))
    return [_resource_from_row(row) for row in rows], total


def parse_timestamp(value: str) -> datetime:
    """An inventory's `created_at` as UTC; now when absent or unreadable."""
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def format_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
