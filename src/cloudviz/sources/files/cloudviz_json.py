"""CloudViz's own inventory files, read back (the round trip)."""

from __future__ import annotations

import re

from cloudviz.inventory.codec import inventory_from_dict
from cloudviz.inventory.model import Inventory
from cloudviz.sources.files.source import ImportSource

NAME = "cloudviz"
DESCRIPTION = "a CloudViz inventory file (schema_version 1)"

_MARKER = re.compile(r'"schema_version"\s*:\s*\d')


def sniff(head: str) -> bool:
    return bool(_MARKER.search(head))


def load(source: ImportSource) -> Inventory:
    return inventory_from_dict(source.read_json())
