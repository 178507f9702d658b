"""Counts that describe an inventory, for `cloudviz inspect` and the API."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cloudviz.inventory.model import Inventory


def summarize_inventory(inventory: Inventory) -> dict[str, Any]:
    """Totals and counts by provider, account, region and kind."""
    by_provider: Counter[str] = Counter()
    by_account: Counter[str] = Counter()
    by_region: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for resource in inventory.resources:
        by_provider[resource.provider] += 1
        by_account[f"{resource.provider}:{resource.account or '-'}"] += 1
        by_region[f"{resource.provider}:{resource.region or 'global'}"] += 1
        by_kind[resource.kind] += 1
    relationships = Counter(rel.type for rel in inventory.relationships)
    return {
        "name": inventory.name,
        "created_at": inventory.created_at,
        "source": {"kind": inventory.source_kind, "detail": inventory.source_detail},
        "resources": len(inventory.resources),
        "relationships": len(inventory.relationships),
        "by_provider": dict(by_provider.most_common()),
        "by_account": dict(by_account.most_common()),
        "by_region": dict(by_region.most_common()),
        "by_kind": dict(by_kind.most_common()),
        "relationships_by_type": dict(relationships.most_common()),
        "errors": [error.to_dict() for error in inventory.errors],
    }
