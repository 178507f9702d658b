"""`az resource list -o json`: every resource of a subscription.

Rows have no `subscriptionId`; it is read from each id. Their `properties`
are null, so the inventory holds the resources and what their ids tell (SQL
databases in their servers, disks on their VMs through `managedBy`) but not
the network wiring: use `az graph query` or `cloudviz extract azure` for that.
"""

from __future__ import annotations

from cloudviz.inventory.model import Inventory
from cloudviz.sources.files import azure_exports
from cloudviz.sources.files.source import ImportSource

NAME = azure_exports.RESOURCES
DESCRIPTION = "Azure resources (az resource list -o json)"


def sniff(head: str) -> bool:
    return azure_exports.classify(head) == NAME


def load(source: ImportSource) -> Inventory:
    return azure_exports.load_rows([source], NAME)


def load_many(sources: list[ImportSource]) -> Inventory:
    """Several files (pages, or one per subscription) read as one export."""
    return azure_exports.load_rows(sources, NAME)
