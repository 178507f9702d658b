"""Diff renders: one inventory holding both sides, and what changed in it.

`render NEW --diff OLD` draws NEW plus what OLD had and NEW lost, each marked
added, removed or changed. Removed resources come from OLD with their parent
chain, so they are drawn where they used to be.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cloudviz.diagram.escape import truncate
from cloudviz.inventory.diff import InventoryDiff, ResourceChange, diff_inventories
from cloudviz.inventory.model import Inventory, Relationship


@dataclass(slots=True)
class ChangeMarks:
    """The diff status of every resource and relationship that differs."""

    resources: dict[str, str] = field(default_factory=dict)
    relationships: dict[Relationship, str] = field(default_factory=dict)
    changes: dict[str, ResourceChange] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)

    def describe_change(self, resource_id: str) -> str:
        """`instance_type: t3.small → m6i.large; tag:env: dev → prod`."""
        change = self.changes.get(resource_id)
        if change is None:
            return ""
        parts = [
            f"{prefix}{key}: {old} → {new}"
            for prefix, section in (
                ("", change.fields),
                ("", change.properties),
                ("tag:", change.tags),
            )
            for key, (old, new) in section.items()
        ]
        return truncate("; ".join(parts), 300)


def merge_for_diff(old: Inventory, new: Inventory) -> tuple[Inventory, ChangeMarks]:
    """NEW plus OLD's removed resources and relationships, with their marks."""
    diff: InventoryDiff = diff_inventories(old, new)
    marks = ChangeMarks(
        resources=diff.status_by_id(),
        changes={change.id: change for change in diff.changed},
        summary=diff.summary(),
    )
    for rel in diff.added_relationships:
        marks.relationships[rel] = "added"
    for rel in diff.removed_relationships:
        marks.relationships[rel] = "removed"

    merged = Inventory(
        name=new.name,
        source_kind=new.source_kind,
        source_detail=new.source_detail,
        created_at=new.created_at,
        resources=[*new.resources, *diff.removed],
        relationships=[*new.relationships, *diff.removed_relationships],
        errors=list(new.errors),
        schema_version=new.schema_version,
    )
    return merged, marks
