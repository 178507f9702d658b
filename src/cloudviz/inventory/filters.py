"""Filters shared by every command that reads an inventory.

Patterns are shell globs (`prod-*`), matched case-insensitively, because
account, region and resource group names differ in case between providers and
exports. What a filter or `max_resources` drops is counted by reason and
recorded in the inventory's `source.detail.filtered`, so a smaller diagram
always says why it is smaller.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from cloudviz.errors import ValidationError
from cloudviz.inventory.model import Inventory, Resource


def _matches_any(value: str | None, patterns: tuple[str, ...]) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


def parse_tag_filters(
    values: tuple[str, ...] | list[str],
) -> tuple[tuple[str, str], ...]:
    """`env=prod` → ("env", "prod"); `env` alone matches any value of the tag."""
    pairs = []
    for value in values:
        key, sep, wanted = value.partition("=")
        if not key:
            raise ValidationError(
                f"--tag {value!r}: expected KEY=VALUE",
                hint="for example --tag env=prod",
            )
        pairs.append((key, wanted if sep else "*"))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class ResourceFilter:
    """A conjunction of criteria; an empty criterion accepts everything."""

    providers: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    resource_groups: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    max_resources: int | None = None

    def is_empty(self) -> bool:
        return self == ResourceFilter()

    def describe(self) -> dict[str, Any]:
        """The criteria that are set, for reports and `source.detail`."""
        described: dict[str, Any] = {}
        for name in ("providers", "accounts", "regions", "resource_groups", "kinds"):
            if getattr(self, name):
                described[name] = list(getattr(self, name))
        if self.types:
            described["types"] = list(self.types)
        if self.tags:
            described["tags"] = [f"{key}={value}" for key, value in self.tags]
        if self.max_resources is not None:
            described["max_resources"] = self.max_resources
        return described

    def rejection(self, resource: Resource) -> str | None:
        """The name of the first criterion `resource` fails, or None."""
        checks = (
            ("provider", self.providers, resource.provider),
            ("account", self.accounts, resource.account),
            ("region", self.regions, resource.region),
            ("resource_group", self.resource_groups, resource.group),
            ("kind", self.kinds, resource.kind),
            ("type", self.types, resource.type),
        )
        for name, patterns, value in checks:
            if patterns and not _matches_any(value, patterns):
                return name
        for key, wanted in self.tags:
            if not _matches_any(resource.tags.get(key), (wanted,)):
                return "tag"
        return None


@dataclass(slots=True)
class FilterReport:
    """What a filter kept and dropped, by reason."""

    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    dropped_relationships: int = 0

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "kept": self.kept,
            "dropped": self.total_dropped,
            "dropped_by": dict(sorted(self.dropped.items())),
            "dropped_relationships": self.dropped_relationships,
        }

    def summary(self) -> str:
        if not self.total_dropped:
            return f"kept all {self.kept} resources"
        reasons = ", ".join(f"{n} by {why}" for why, n in sorted(self.dropped.items()))
        return f"kept {self.kept} resources, dropped {self.total_dropped} ({reasons})"


def apply_filter(
    inventory: Inventory, criteria: ResourceFilter
) -> tuple[Inventory, FilterReport]:
    """A new inventory holding what `criteria` accepts, and the report."""
    report = FilterReport()
    if criteria.is_empty():
        report.kept = len(inventory.resources)
        return inventory, report

    kept: list[Resource] = []
    for resource in inventory.resources:
        reason = criteria.rejection(resource)
        if reason is not None:
            report.dropped[reason] += 1
        elif criteria.max_resources is not None and len(kept) >= criteria.max_resources:
            report.dropped["max_resources"] += 1
        else:
            kept.append(resource)
    report.kept = len(kept)

    kept_ids = {resource.id for resource in kept}
    relationships = [
        rel
        for rel in inventory.relationships
        if rel.source in kept_ids and rel.target in kept_ids
    ]
    report.dropped_relationships = len(inventory.relationships) - len(relationships)
    resources = [
        resource
        if resource.parent is None or resource.parent in kept_ids
        # A copy, so the unfiltered inventory a caller still holds stays intact.
        else replace(resource, parent=None)
        for resource in kept
    ]
    detail = dict(inventory.source_detail)
    detail["filtered"] = {"criteria": criteria.describe(), **report.to_dict()}
    filtered = Inventory(
        name=inventory.name,
        source_kind=inventory.source_kind,
        source_detail=detail,
        created_at=inventory.created_at,
        resources=resources,
        relationships=relationships,
        errors=list(inventory.errors),
        schema_version=inventory.schema_version,
    )
    return filtered, report
