"""The file formats CloudViz imports, detected from content, never the name.

Each importer module provides `NAME`, `DESCRIPTION`, `sniff(head) -> bool`
(looking at the first 64 KiB of text) and `load(source) -> Inventory`. The
order of `FORMATS` matters only where two sniffers could both match: the more
specific format comes first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from cloudviz.errors import ValidationError
from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.model import Inventory
from cloudviz.progress import NULL_PROGRESS, Progress
from cloudviz.sources.files import aws_config, cloudviz_json
from cloudviz.sources.files.source import ImportSource

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FileFormat:
    name: str
    description: str
    sniff: Callable[[str], bool]
    load: Callable[[ImportSource], Inventory]


def _format(module: ModuleType) -> FileFormat:
    return FileFormat(module.NAME, module.DESCRIPTION, module.sniff, module.load)


FORMATS: tuple[FileFormat, ...] = (_format(cloudviz_json), _format(aws_config))
FORMAT_NAMES: tuple[str, ...] = tuple(fmt.name for fmt in FORMATS)


def format_by_name(name: str) -> FileFormat:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise ValidationError(
        f"unknown import format {name!r}",
        hint="use one of: auto, " + ", ".join(FORMAT_NAMES),
    )


def detect_format(source: ImportSource) -> FileFormat:
    """The format whose sniffer recognises the file's first bytes."""
    head = source.head()
    if not head.strip():
        raise source.invalid("the file is empty")
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt
    raise source.invalid(
        "format not recognised; pass --format with one of " + ", ".join(FORMAT_NAMES)
    )


def merge_inventories(inventories: Sequence[Inventory], name: str) -> Inventory:
    """One inventory from several; a resource found twice is merged."""
    if len(inventories) == 1:
        return inventories[0]
    kinds = sorted({inventory.source_kind for inventory in inventories})
    builder = InventoryBuilder(
        name,
        kinds[0] if len(kinds) == 1 else "merged",
        source_detail={"inputs": [inv.source_detail for inv in inventories]},
    )
    for inventory in inventories:
        for resource in inventory.resources:
            builder.add(resource)
        for rel in inventory.relationships:
            builder.relate(rel.source, rel.target, rel.type)
        builder.errors.extend(inventory.errors)
    return builder.build()


def import_files(
    paths: Sequence[str | Path],
    *,
    file_format: str = "auto",
    name: str | None = None,
    progress: Progress = NULL_PROGRESS,
) -> Inventory:
    """Import one or more exports into a single inventory."""
    if not paths:
        raise ValidationError("no input files given", hint="name at least one file")
    inventories = []
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_file():
            raise ValidationError(f"{path}: no such file", hint="check the path")
        source = ImportSource(path, progress)
        fmt = (
            detect_format(source)
            if file_format == "auto"
            else format_by_name(file_format)
        )
        started = time.perf_counter()
        progress.begin(f"importing {path.name} ({fmt.name})", source.size)
        try:
            inventory = fmt.load(source)
        except RecursionError:
            raise source.invalid("nesting too deep to be an export") from None
        finally:
            progress.end()
        inventory.source_detail.setdefault("file", path.name)
        inventory.source_detail.setdefault("format", fmt.name)
        log.info(
            "import.file path=%s format=%s resources=%s seconds=%.2f",
            path,
            fmt.name,
            len(inventory.resources),
            time.perf_counter() - started,
        )
        inventories.append(inventory)
    default_name = Path(paths[0]).stem if len(paths) == 1 else "merged-import"
    merged = merge_inventories(inventories, name or default_name)
    if name:
        merged.name = name
    return merged
