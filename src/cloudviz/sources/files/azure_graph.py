"""`az graph query -q ... -o json`: Azure Resource Graph rows.

A bare list of rows or the paged object `{"count", "data", "skip_token",
"total_records"}`; see `cloudviz.sources.files.azure_exports`.
"""

from __future__ import annotations

from cloudviz.sources.files import azure_exports

NAME = azure_exports.GRAPH
DESCRIPTION = "Azure Resource Graph rows (az graph query -o json), list or paged object"

sniff, load, load_many = azure_exports.importer(NAME)
