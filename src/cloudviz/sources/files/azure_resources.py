"""`az resource list -o json`: every resource of a subscription.

Rows have no `subscriptionId`; it is read from each id. Their `properties`
are null, so the inventory holds the resources and what their ids tell (SQL
databases in their servers, disks on their VMs through `managedBy`) but not
the network wiring: use `az graph query` or `cloudviz extract azure` for that.
"""

from __future__ import annotations

from cloudviz.sources.files import azure_exports

NAME = azure_exports.RESOURCES
DESCRIPTION = "Azure resources (az resource list -o json)"

sniff, load, load_many = azure_exports.importer(NAME)
