"""The inventory model every part of CloudViz shares."""

from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.codec import (
    dumps_inventory,
    inventory_from_dict,
    loads_inventory,
    read_inventory,
    write_inventory,
)
from cloudviz.inventory.diff import InventoryDiff, diff_inventories
from cloudviz.inventory.filters import FilterReport, ResourceFilter, apply_filter
from cloudviz.inventory.model import (
    SCHEMA_VERSION,
    Inventory,
    InventoryError,
    Relationship,
    Resource,
)

__all__ = [
    "SCHEMA_VERSION",
    "FilterReport",
    "Inventory",
    "InventoryBuilder",
    "InventoryDiff",
    "InventoryError",
    "Relationship",
    "Resource",
    "ResourceFilter",
    "apply_filter",
    "diff_inventories",
    "dumps_inventory",
    "inventory_from_dict",
    "loads_inventory",
    "read_inventory",
    "write_inventory",
]
