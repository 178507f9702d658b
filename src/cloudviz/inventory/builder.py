"""Assemble an Inventory from whatever a source found, in any order.

Sources add resources and relationships as they meet them; the builder merges
repeated ids, strips secrets, resolves references case-insensitively where the
provider's ids are (Azure ARM ids), and drops relationships and parents that
name resources it never saw, counting what it dropped so nothing vanishes
silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from cloudviz.inventory.kinds import KNOWN_KINDS, KNOWN_RELATIONSHIP_TYPES
from cloudviz.inventory.model import (
    Inventory,
    InventoryError,
    Relationship,
    Resource,
)
from cloudviz.inventory.redaction import strip_secrets

log = logging.getLogger(__name__)


def casefold_id(resource_id: str) -> str:
    """Lookup key for ids compared case-insensitively (Azure ARM ids)."""
    return resource_id.casefold().rstrip("/")


def mixed_id_key(resource_id: str) -> str:
    """Lookup key for inventories of several providers: ARM ids casefolded.

    ARNs and GCP names are case-sensitive and never start with
    `/subscriptions/`, so only Azure ids are folded.
    """
    if resource_id[:15].lower() == "/subscriptions/":
        return casefold_id(resource_id)
    return resource_id


def merge_resource(existing: Resource, update: Resource) -> None:
    """Fold `update` into `existing`: later non-empty values win, maps merge."""
    for attr in ("type", "name", "account", "region", "zone", "group", "parent"):
        value = getattr(update, attr)
        if value:
            setattr(existing, attr, value)
    if update.kind != "other" or existing.kind not in KNOWN_KINDS:
        existing.kind = update.kind
    existing.tags.update(update.tags)
    existing.properties.update(update.properties)


class InventoryBuilder:
    """Collects resources and relationships and produces a clean Inventory."""

    def __init__(
        self,
        name: str,
        source_kind: str,
        *,
        source_detail: dict[str, Any] | None = None,
        id_key: Callable[[str], str] = str,
    ) -> None:
        self.name = name
        self.source_kind = source_kind
        self.source_detail = dict(source_detail or {})
        self._id_key = id_key
        self._resources: dict[str, Resource] = {}
        self._relationships: dict[tuple[str, str, str], None] = {}
        self.errors: list[InventoryError] = []

    def __len__(self) -> int:
        return len(self._resources)

    def __contains__(self, resource_id: str) -> bool:
        return self._id_key(resource_id) in self._resources

    def get(self, resource_id: str) -> Resource | None:
        return self._resources.get(self._id_key(resource_id))

    def resources(self) -> Iterable[Resource]:
        """The resources added so far, for sources that amend them before build."""
        return self._resources.values()

    def add(self, resource: Resource) -> Resource:
        """Add a resource, or merge it into the one already known by its id."""
        resource.properties = strip_secrets(resource.properties)
        if resource.kind not in KNOWN_KINDS:
            resource.kind = "other"
        key = self._id_key(resource.id)
        existing = self._resources.get(key)
        if existing is None:
            self._resources[key] = resource
            return resource
        merge_resource(existing, resource)
        return existing

    def relate(self, source: str | None, target: str | None, rel_type: str) -> None:
        """Record an edge; references are resolved when the inventory is built."""
        if not source or not target or rel_type not in KNOWN_RELATIONSHIP_TYPES:
            return
        self._relationships[(source, target, rel_type)] = None

    def relate_many(
        self, source: str | None, targets: Iterable[str | None], rel_type: str
    ) -> None:
        for target in targets:
            self.relate(source, target, rel_type)

    def error(self, provider: str, scope: str, code: str, message: str) -> None:
        self.errors.append(InventoryError(provider, scope, code, message))

    def build(self) -> Inventory:
        """Resolve references and return the inventory, counting what was dropped."""
        resources = self._resources
        dangling_parents = 0
        for resource in resources.values():
            if resource.parent is None:
                continue
            parent = resources.get(self._id_key(resource.parent))
            if parent is None or parent is resource:
                resource.parent = None
                dangling_parents += 1
            else:
                resource.parent = parent.id

        relationships: list[Relationship] = []
        seen: set[tuple[str, str, str]] = set()
        dangling_edges = 0
        for source, target, rel_type in self._relationships:
            source_res = resources.get(self._id_key(source))
            target_res = resources.get(self._id_key(target))
            if source_res is None or target_res is None or source_res is target_res:
                dangling_edges += 1
                continue
            key = (source_res.id, target_res.id, rel_type)
            if key not in seen:
                seen.add(key)
                relationships.append(Relationship(*key))

        if dangling_edges or dangling_parents:
            log.debug(
                "inventory.dangling_references dropped_edges=%s cleared_parents=%s",
                dangling_edges,
                dangling_parents,
            )
            self.source_detail["unresolved_references"] = {
                "relationships": dangling_edges,
                "parents": dangling_parents,
            }
        return Inventory(
            name=self.name,
            source_kind=self.source_kind,
            source_detail=self.source_detail,
            resources=list(resources.values()),
            relationships=relationships,
            errors=list(self.errors),
        )
