"""The file formats CloudViz imports, detected from content, never the name.

Each importer module provides `NAME`, `DESCRIPTION`, `sniff(head) -> bool`
(looking at the first 64 KiB of text) and `load(source) -> Inventory`, and
may provide `load_many(sources) -> Inventory` for exports that come in parts
(pages of `az graph query`): consecutive files of that format are then read
as one export, so references between the parts resolve. The
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
from cloudviz.inventory.builder import InventoryBuilder, mixed_id_key
from cloudviz.inventory.model import Inventory
from cloudviz.progress import NULL_PROGRESS, Progress
from cloudviz.sources.files import (
    aws_config,
    azure_graph,
    azure_resources,
    cloudviz_json,
    gcp_asset,
    terraform,
)
from cloudviz.sources.files.source import ImportSource

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FileFormat:
    name: str
    description: str
    sniff: Callable[[str], bool]
    load: Callable[[ImportSource], Inventory]
    load_many: Callable[[list[ImportSource]], Inventory] | None = None


def _format(module: ModuleType) -> FileFormat:
    return FileFormat(
        module.NAME,
        module.DESCRIPTION,
        module.sniff,
        module.load,
        getattr(module, "load_many", None),
    )


FORMATS: tuple[FileFormat, ...] = (
    _format(terraform),
    _format(aws_config),
    _format(azure_graph),
    _format(azure_resources),
    _format(gcp_asset),
    _format(cloudviz_json),
)
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
        id_key=mixed_id_key,
    )
    for inventory in inventories:
        for resource in inventory.resources:
            builder.add(resource)
        for rel in inventory.relationships:
            builder.relate(rel.source, rel.target, rel.type)
        builder.errors.extend(inventory.errors)
    return builder.build()


def _load_batch(
    fmt: FileFormat, sources: list[ImportSource], progress: Progress
) -> Inventory:
    """One file, or consecutive parts of one export, as one inventory."""
    started = time.perf_counter()
    label = sources[0].path.name if len(sources) == 1 else f"{len(sources)} files"
    progress.begin(f"importing {label} ({fmt.name})", sum(s.size for s in sources))
    try:
        if len(sources) == 1 or fmt.load_many is None:
            inventory = fmt.load(sources[0])
        else:
            inventory = fmt.load_many(sources)
    except RecursionError:
        raise sources[0].invalid("nesting too deep to be an export") from None
    finally:
        progress.end()
    if len(sources) == 1:
        inventory.source_detail.setdefault("file", sources[0].path.name)
    else:
        inventory.source_detail.setdefault("files", [s.path.name for s in sources])
    inventory.source_detail.setdefault("format", fmt.name)
    log.info(
        "import.file path=%s format=%s resources=%s seconds=%.2f",
        ",".join(str(s.path) for s in sources),
        fmt.name,
        len(inventory.resources),
        time.perf_counter() - started,
    )
    return inventory


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
    batches: list[tuple[FileFormat, list[ImportSource]]] = []
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
        if batches and fmt.load_many is not None and batches[-1][0] is fmt:
            batches[-1][1].append(source)
        else:
            batches.append((fmt, [source]))
    inventories = [_load_batch(fmt, sources, progress) for fmt, sources in batches]
    default_name = Path(paths[0]).stem if len(paths) == 1 else "merged-import"
    merged = merge_inventories(inventories, name or default_name)
    if name:
        merged.name = name
    return merged
