"""`az graph query -q ... -o json`: Azure Resource Graph rows."""

from __future__ import annotations

from cloudviz.inventory.model import Inventory
from cloudviz.sources.files import azure_exports
from cloudviz.sources.files.source import ImportSource

NAME = azure_exports.GRAPH
DESCRIPTION = "Azure Resource Graph rows (az graph query -o json), list or paged object"


def sniff(head: str) -> bool:
    return azure_exports.classify(head) == NAME


def load(source: ImportSource) -> Inventory:
    return azure_exports.load_rows([source], NAME)


def load_many(sources: list[ImportSource]) -> Inventory:
    """Several files (pages, or one per subscription) read as one export."""
    return azure_exports.load_rows(sources, NAME)
