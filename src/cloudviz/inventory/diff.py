"""What changed between two inventories of the same estate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cloudviz.inventory.model import Inventory, Relationship, Resource

_COMPARED_FIELDS = (
    "type",
    "kind",
    "name",
    "account",
    "region",
    "zone",
    "group",
    "parent",
)


@dataclass(slots=True)
class ResourceChange:
    """One resource present in both inventories with different content."""

    id: str
    name: str
    kind: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    properties: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    tags: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def pairs(changes: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
            return {k: {"old": old, "new": new} for k, (old, new) in changes.items()}

        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "fields": pairs(self.fields),
            "properties": pairs(self.properties),
            "tags": pairs(self.tags),
        }


@dataclass(slots=True)
class InventoryDiff:
    added: list[Resource] = field(default_factory=list)
    removed: list[Resource] = field(default_factory=list)
    changed: list[ResourceChange] = field(default_factory=list)
    added_relationships: list[Relationship] = field(default_factory=list)
    removed_relationships: list[Relationship] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.added_relationships
            or self.removed_relationships
        )

    def status_by_id(self) -> dict[str, str]:
        """`added`, `removed` or `changed` for each resource that differs."""
        status = {resource.id: "added" for resource in self.added}
        status.update({resource.id: "removed" for resource in self.removed})
        status.update({change.id: "changed" for change in self.changed})
        return status

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "relationships_added": len(self.added_relationships),
            "relationships_removed": len(self.removed_relationships),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "added": [resource.to_dict() for resource in self.added],
            "removed": [resource.to_dict() for resource in self.removed],
            "changed": [change.to_dict() for change in self.changed],
            "relationships": {
                "added": [rel.to_dict() for rel in self.added_relationships],
                "removed": [rel.to_dict() for rel in self.removed_relationships],
            },
        }


def _changed_keys(
    old: dict[str, Any], new: dict[str, Any]
) -> dict[str, tuple[Any, Any]]:
    return {
        key: (old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    }


def compare_resources(old: Resource, new: Resource) -> ResourceChange | None:
    change = ResourceChange(id=new.id, name=new.name, kind=new.kind)
    for attr in _COMPARED_FIELDS:
        before, after = getattr(old, attr), getattr(new, attr)
        if before != after:
            change.fields[attr] = (before, after)
    change.properties = _changed_keys(old.properties, new.properties)
    change.tags = _changed_keys(old.tags, new.tags)
    if change.fields or change.properties or change.tags:
        return change
    return None


def diff_inventories(old: Inventory, new: Inventory) -> InventoryDiff:
    """Added, removed and changed resources and relationships, old → new."""
    old_by_id, new_by_id = old.by_id(), new.by_id()
    result = InventoryDiff(
        added=[r for rid, r in new_by_id.items() if rid not in old_by_id],
        removed=[r for rid, r in old_by_id.items() if rid not in new_by_id],
    )
    for resource_id, new_resource in new_by_id.items():
        old_resource = old_by_id.get(resource_id)
        if old_resource is not None:
            change = compare_resources(old_resource, new_resource)
            if change is not None:
                result.changed.append(change)

    old_edges, new_edges = set(old.relationships), set(new.relationships)
    result.added_relationships = [r for r in new.relationships if r not in old_edges]
    result.removed_relationships = [r for r in old.relationships if r not in new_edges]
    return result


def format_diff_text(diff: InventoryDiff) -> str:
    """A human-readable report, one line per change."""
    if diff.is_empty:
        return "No changes.\n"
    lines = [
        "Summary: "
        + ", ".join(f"{count} {what}" for what, count in diff.summary().items())
    ]
    for resource in diff.added:
        lines.append(f"+ {resource.kind:<24} {resource.name}  ({resource.id})")
    for resource in diff.removed:
        lines.append(f"- {resource.kind:<24} {resource.name}  ({resource.id})")
    for change in diff.changed:
        lines.append(f"~ {change.kind:<24} {change.name}  ({change.id})")
        for section, changes in (
            ("", change.fields),
            ("properties.", change.properties),
            ("tags.", change.tags),
        ):
            for key, (before, after) in changes.items():
                lines.append(f"    {section}{key}: {before!r} -> {after!r}")
    for rel in diff.added_relationships:
        lines.append(f"+ {rel.source} --{rel.type}--> {rel.target}")
    for rel in diff.removed_relationships:
        lines.append(f"- {rel.source} --{rel.type}--> {rel.target}")
    return "\n".join(lines) + "\n"
