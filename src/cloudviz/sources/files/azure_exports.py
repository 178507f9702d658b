"""What the two Azure importers share: telling the exports apart, and reading
their rows one at a time.

`az graph query -o json` writes either a bare list of rows or, in current
versions of the CLI, an object `{"count", "data", "skip_token",
"total_records"}`; the REST shape (`totalRecords`, `$skipToken`) is read as
well. Its rows carry `subscriptionId` and `tenantId`. `az resource list -o
json` writes a bare list whose rows have `resourceGroup` but neither of
those, and `properties` null. Both go through the same row transform as live
discovery.

Rows are streamed with ijson, so a large `az resource list` export is never
held twice in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ijson

from cloudviz.inventory.model import Inventory, InventoryError
from cloudviz.sources.azure.transform import AzureTransform
from cloudviz.sources.files.source import ImportSource

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
    "count": "count",
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


def _rows(source: ImportSource, meta: dict[str, Any]) -> Iterator[Any]:
    """Each row of the export, and the page's metadata into `meta`."""
    is_page = source.head().lstrip()[:1] == "{"
    item_prefix = "data.item" if is_page else "item"
    builder: Any = None
    with source.open() as handle:
        for path, event, value in ijson.parse(handle, use_float=True):
            if builder is not None:
                builder.event(event, value)
                if path == item_prefix and event in ("end_map", "end_array"):
                    yield builder.value
                    builder = None
            elif path == item_prefix:
                if event in ("start_map", "start_array"):
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                else:
                    yield value
            elif path == "data" and event == "start_array":
                meta["has_data"] = True
            elif path in _PAGE_META:
                meta[_PAGE_META[path]] = value
            elif path == "" and event in ("string", "number", "boolean", "null"):
                raise source.invalid("expected a list of rows or an object")
    if is_page and not meta.get("has_data"):
        raise source.invalid('expected an object with a "data" list of rows')


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
        meta: dict[str, Any] = {}
        where = "data" if source.head().lstrip()[:1] == "{" else "rows"
        try:
            transform.add_rows(_rows(source, meta), where)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise source.invalid(f"not valid JSON ({exc})") from None
        pages.append(meta)
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
