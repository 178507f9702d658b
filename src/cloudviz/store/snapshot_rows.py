"""Moving inventories in and out of the snapshot tables, in bulk.

Rows go in as plain tuples through `cloudviz.store.bulk` (COPY on
PostgreSQL, one prepared statement on SQLite) rather than ORM objects: a
100,000-resource estate would otherwise spend most of its time building and
tracking objects nobody reads back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cloudviz.inventory.model import Inventory, InventoryError, Relationship, Resource
from cloudviz.progress import NULL_PROGRESS, Progress
from cloudviz.store.bulk import Row, bulk_insert
from cloudviz.store.database import dump_json
from cloudviz.store.models import Base, RelationshipRow, ResourceRow, ResourceTag
from cloudviz.store.paging import contains_like, glob_to_like, has_wildcard

_resources = Base.metadata.tables[ResourceRow.__tablename__]
_tags = Base.metadata.tables[ResourceTag.__tablename__]
_relationships = Base.metadata.tables[RelationshipRow.__tablename__]


RESOURCE_COLUMNS = (
    "snapshot_id",
    "position",
    "resource_id",
    "provider",
    "type",
    "kind",
    "name",
    "account",
    "region",
    "zone",
    "group_name",
    "parent",
    "tags",
    "properties",
)
TAG_COLUMNS = ("snapshot_id", "position", "key", "value")
RELATIONSHIP_COLUMNS = ("snapshot_id", "position", "source", "target", "type")


def _resource_rows(snapshot_id: str, resources: Sequence[Resource]) -> Iterator[Row]:
    for position, r in enumerate(resources):
        yield (
            snapshot_id,
            position,
            r.id,
            r.provider,
            r.type,
            r.kind,
            r.name,
            r.account,
            r.region,
            r.zone,
            r.group,
            r.parent,
            dump_json(r.tags),
            dump_json(r.properties),
        )


def _tag_rows(snapshot_id: str, resources: Sequence[Resource]) -> Iterator[Row]:
    for position, resource in enumerate(resources):
        for key, value in resource.tags.items():
            yield (snapshot_id, position, key, value)


def _relationship_rows(
    snapshot_id: str, relationships: Sequence[Relationship]
) -> Iterator[Row]:
    for position, rel in enumerate(relationships):
        yield (snapshot_id, position, rel.source, rel.target, rel.type)


def insert_inventory_rows(
    session: Session,
    snapshot_id: str,
    inventory: Inventory,
    progress: Progress = NULL_PROGRESS,
) -> None:
    """Insert the resources, tags and relationships of `inventory`.

    Runs inside the caller's transaction: if any row is refused (a repeated
    resource id, a relationship naming no resource) the caller's rollback
    removes every row already written.
    """
    total = len(inventory.resources) + len(inventory.relationships)
    progress.begin(f"storing snapshot {inventory.name}", total)
    try:
        resources = inventory.resources
        bulk_insert(
            session,
            _resources,
            RESOURCE_COLUMNS,
            _resource_rows(snapshot_id, resources),
            progress=progress,
        )
        bulk_insert(session, _tags, TAG_COLUMNS, _tag_rows(snapshot_id, resources))
        bulk_insert(
            session,
            _relationships,
            RELATIONSHIP_COLUMNS,
            _relationship_rows(snapshot_id, inventory.relationships),
            progress=progress,
        )
    finally:
        progress.end()


def delete_snapshot_rows(session: Session, snapshot_id: str) -> None:
    """Delete a snapshot's rows children first, one ranged DELETE per table.

    The foreign keys would cascade too, but row by row; this is several
    times faster for large snapshots.
    """
    for table in (_tags, _relationships, _resources):
        session.execute(delete(table).where(table.c.snapshot_id == snapshot_id))


# In the order of Resource's fields, so a row builds one positionally: the
# fastest way to turn 100,000 rows back into resources.
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
    return [Resource(*row) for row in session.execute(query).all()]


def load_relationships(session: Session, snapshot_id: str) -> list[Relationship]:
    query = (
        select(_relationships.c.source, _relationships.c.target, _relationships.c.type)
        .where(_relationships.c.snapshot_id == snapshot_id)
        .order_by(_relationships.c.position)
    )
    return [Relationship(*row) for row in session.execute(query).all()]


def errors_from_json(errors: list[dict[str, str]]) -> list[InventoryError]:
    return [
        InventoryError(e["provider"], e["scope"], e["code"], e["message"])
        for e in errors
    ]


def _match(column: Any, values: Sequence[str]) -> ColumnElement[bool]:
    """Exact values use the index; globs (`network.*`) match ignoring case."""
    exact = [value for value in values if not has_wildcard(value)]
    clauses: list[ColumnElement[bool]] = [
        column.ilike(glob_to_like(value), escape="\\")
        for value in values
        if has_wildcard(value)
    ]
    if exact:
        clauses.append(column.in_(exact))
    return or_(*clauses)


def _has_tag(snapshot_id: str, key: str, value: str) -> ColumnElement[bool]:
    # An IN over the (snapshot_id, key, value, position) index: the planner
    # builds the set of positions once instead of probing per resource.
    positions = select(_tags.c.position).where(
        _tags.c.snapshot_id == snapshot_id, _tags.c.key == key
    )
    if value != "*":
        positions = positions.where(_match(_tags.c.value, [value]))
    return _resources.c.position.in_(positions)


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
    conditions.extend(_has_tag(snapshot_id, key, value) for key, value in tags)
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
    return [Resource(*row) for row in rows], total
