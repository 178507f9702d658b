"""GCP Cloud Asset Inventory exports, in every spelling gcloud writes them.

- `gcloud asset search-all-resources --format=json`: a JSON list of camelCase
  search results (add `--read-mask='*'` to get each resource's full data, which
  is where relationships come from);
- `gcloud asset export --output-path=gs://...` and `gcloud asset list
  --format=json`: assets with `resource.data`, one per line (NDJSON) or as a
  list;
- a saved REST response of `ListAssets` (`{"assets": [...]}`) or
  `searchAllResources` (`{"results": [...]}`).

Rows go through the same transform as live discovery
(`cloudviz.sources.gcp.transform`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cloudviz.errors import ValidationError
from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.codec import decode_json
from cloudviz.inventory.model import Inventory
from cloudviz.sources.files.source import ImportSource
from cloudviz.sources.gcp.records import MalformedAssetError
from cloudviz.sources.gcp.transform import transform_assets

NAME = "gcp-asset"
DESCRIPTION = "gcloud asset search-all-resources JSON or Cloud Asset export NDJSON"

_MARKER = re.compile(r'"(?:assetType|asset_type)"\s*:\s*"[a-z0-9.-]+\.googleapis\.com/')


def sniff(head: str) -> bool:
    return bool(_MARKER.search(head))


def load(source: ImportSource) -> Inventory:
    rows = _rows(source)
    builder = InventoryBuilder(source.path.stem, "gcp-asset")
    try:
        count = transform_assets(rows, builder)
    except MalformedAssetError as problem:
        raise source.invalid(str(problem)) from None
    builder.source_detail["assets"] = count
    return builder.build()


def _rows(source: ImportSource) -> Iterator[Any]:
    """The asset rows, streamed from NDJSON: the transform keeps only the part
    of each it reads, so a big export is never whole in memory."""
    head = source.head().lstrip()
    if head.startswith("["):
        document = source.read_json()
        if not isinstance(document, list):
            raise source.invalid("expected a list of assets")
        yield from document
        return

    documents = source.iter_ndjson() if _one_per_line(head) else [source.read_json()]
    for document in documents:
        # A saved REST response (ListAssets, searchAllResources) wraps its rows.
        wrapped = _wrapped_rows(document)
        if wrapped is None:
            yield document
        else:
            yield from wrapped


def _wrapped_rows(document: Any) -> list[Any] | None:
    if isinstance(document, dict) and "name" not in document:
        for key in ("assets", "results"):
            if isinstance(document.get(key), list):
                return list(document[key])
    return None


def _one_per_line(head: str) -> bool:
    """NDJSON: the first line is a whole object (or longer than the head)."""
    first_line, newline, _rest = head.partition("\n")
    if not newline:
        return True
    try:
        return isinstance(decode_json(first_line), dict)
    except ValidationError:
        return False
