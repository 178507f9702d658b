"""The inventory: resources, the relationships between them, and what failed.

These are plain slotted dataclasses rather than pydantic models because an
estate can hold 100,000 resources and they are built, filtered and laid out
in tight loops; validation happens once, at the file boundary
(`cloudviz.inventory.codec`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1


@dataclass(slots=True)
class Resource:
    """One cloud resource, placed by `parent` (its drawing container)."""

    id: str
    provider: str
    type: str
    kind: str
    name: str
    account: str | None = None
    region: str | None = None
    zone: str | None = None
    group: str | None = None
    parent: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider,
            "type": self.type,
            "kind": self.kind,
            "name": self.name,
            "account": self.account,
            "region": self.region,
            "zone": self.zone,
            "group": self.group,
            "parent": self.parent,
            "tags": self.tags,
            "properties": self.properties,
        }


@dataclass(slots=True, frozen=True)
class Relationship:
    """A typed, directed edge between two resources of the same inventory."""

    source: str
    target: str
    type: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "target": self.target, "type": self.type}


@dataclass(slots=True, frozen=True)
class InventoryError:
    """Something discovery or import could not read, and why."""

    provider: str
    scope: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "provider": self.provider,
            "scope": self.scope,
            "code": self.code,
            "message": self.message,
        }


def utc_now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(slots=True)
class Inventory:
    """One discovery or import: the unit that is stored, diffed and drawn."""

    name: str
    source_kind: str
    source_detail: dict[str, Any] = field(default_factory=dict)
    created_at: str = field(default_factory=utc_now_iso)
    resources: list[Resource] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    errors: list[InventoryError] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def by_id(self) -> dict[str, Resource]:
        return {resource.id: resource for resource in self.resources}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "name": self.name,
            "created_at": self.created_at,
            "source": {"kind": self.source_kind, "detail": self.source_detail},
            "resources": [resource.to_dict() for resource in self.resources],
            "relationships": [rel.to_dict() for rel in self.relationships],
            "errors": [error.to_dict() for error in self.errors],
        }
