"""What the two Azure importers share: telling the exports apart, and reading
their rows one at a time.

`az graph query -o json` writes either a bare list of rows or, in current
versions of the CLI, an object `{"count", "data", "skip_token",
"total_records"}`; the REST shape (`totalRecords`, `$skipToken`) is read as
well. Its rows carry `subscriptionId` and `tenantId`. `az resource list -o
json` writes a bare list whose rows have `resourceGroup` but neither of
those, and `properties` null. Both go through the same row transform as live
discovery.

Rows are streamed with ijson's C backend, so a large export is never held
twice in memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import ijson

from cloudviz.inventory.model import Inventory, InventoryError
from cloudviz.sources.azure.transform import AzureTransform
from cloudviz.sources.files.source import ImportSource

TAIL_BYTES = 4096
GRAPH = "azure-graph"
RESOURCES = "azure-resources"

_ARM_ID = re.compile(r'"id"\s*:\s*"/subscriptions/', re.IGNORECASE)
_GRAPH_ROW_KEY = re.compile(r'"(subscriptionId|tenantId)"\s*:')
_RESOURCE_GROUP_KEY = re.compile(r'"resourceGroup"\s*:')
_DATA_ARRAY = re.compile(r'"data"\s*:\s*\[')
_PAGE_KEY = re.compile(
    r'"(count|skip_token|total_records|totalRecords|\$skipToken)"\s*:'
)
_PAGE_META = {
    "total_records": "total_records",
    "totalRecords": "total_records",
    "skip_token": "skip_token",
    "$skipToken": "skip_token",
    "resultTruncated": "result_truncated",
}


def classify(head: str) -> str | None:
    """`azure-graph`, `azure-resources` or None, from the first 64 KiB."""
    start = head.lstrip()[:1]
    if start == "{":
        found = _DATA_ARRAY.search(head) and _PAGE_KEY.search(head)
        return GRAPH if found else None
    if start != "[" or not _ARM_ID.search(head):
        return None
    if _GRAPH_ROW_KEY.search(head):
        return GRAPH
    if _RESOURCE_GROUP_KEY.search(head):
        return RESOURCES
    # A projected graph query (`project id, name, type`) has neither marker.
    return GRAPH


def _rows(source: ImportSource) -> Iterator[Any]:
    """Each row of the export, parsed by ijson's C backend one at a time."""
    start = source.head().lstrip()[:1]
    if start not in ("[", "{"):
        raise source.invalid("expected a list of rows or an object")
    if start == "{" and not _DATA_ARRAY.search(source.head()):
        raise source.invalid('expected an object with a "data" list of rows')
    with source.open() as handle:
        yield from ijson.items(
            handle, "data.item" if start == "{" else "item", use_float=True
        )


_META_VALUE = re.compile(
    r'"(skip_token|total_records|totalRecords|\$skipToken|resultTruncated)"'
    r'\s*:\s*("(?:[^"\\]|\\.)*"|[0-9]+|true|false|null)'
)


def _page_meta(source: ImportSource) -> dict[str, Any]:
    """`skip_token`, `total_records`, ... of a paged export.

    They are top-level keys before or after the `data` list (the CLI sorts
    keys, so they follow it), hence read from the file's first and last
    bytes rather than by walking every row a second time.
    """
    if source.head().lstrip()[:1] != "{":
        return {}
    with source.path.open("rb") as handle:
        handle.seek(max(0, source.size - TAIL_BYTES))
        tail = handle.read().decode("utf-8", errors="replace")
    data = _DATA_ARRAY.search(source.head())
    before_rows = source.head()[: data.start()] if data else ""
    meta: dict[str, Any] = {}
    for text in (before_rows, tail):
        for key, raw in _META_VALUE.findall(text):
            meta[_PAGE_META[key]] = json.loads(raw)
    return meta


def load_rows(sources: list[ImportSource], format_name: str) -> Inventory:
    """The inventory of an Azure export in one or more parts (pages).

    All parts go through one transform, so a VM on one page finds the NIC
    and subnet on another, and ids that differ only in case meet.
    """
    transform = AzureTransform(
        sources[0].path.stem, "azure", source_detail={"format": format_name}
    )
    pages = []
    for source in sources:
        where = "data" if source.head().lstrip()[:1] == "{" else "rows"
        try:
            transform.add_rows(_rows(source), where)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise source.invalid(f"not valid JSON ({exc})") from None
        pages.append(_page_meta(source))
    inventory = transform.build()
    _report_missing_pages(inventory, pages, transform.rows)
    return inventory


def _report_missing_pages(
    inventory: Inventory, pages: list[dict[str, Any]], rows: int
) -> None:
    # One page of a bigger result looks complete; say that it is not.
    totals = [
        page["total_records"]
        for page in pages
        if isinstance(page.get("total_records"), (int, float))
    ]
    total = max(totals) if totals else None
    if total is not None:
        partial = total > rows
    else:
        partial = all(page.get("skip_token") for page in pages) or any(
            page.get("result_truncated") in (True, "true") for page in pages
        )
    if not partial:
        return
    of_total = f" of {int(total)}" if total is not None else ""
    inventory.errors.append(
        InventoryError(
            "azure",
            "import",
            "CV010",
            f"the export holds {rows}{of_total} rows: it is part of a larger "
            "result; export every page (az graph query --first 1000 --skip-token "
            "...) and import them together, or run `cloudviz extract azure`",
        )
    )


Importer = tuple[
    Callable[[str], bool],
    Callable[[ImportSource], Inventory],
    Callable[[list[ImportSource]], Inventory],
]


def importer(format_name: str) -> Importer:
    """`sniff`, `load` and `load_many` of one of the two formats."""

    def sniff(head: str) -> bool:
        return classify(head) == format_name

    def load(source: ImportSource) -> Inventory:
        return load_rows([source], format_name)

    def load_many(sources: list[ImportSource]) -> Inventory:
        # Several files (pages, or one per subscription) read as one export.
        return load_rows(sources, format_name)

    return sniff, load, load_many
