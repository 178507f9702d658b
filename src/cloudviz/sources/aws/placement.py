"""Where AWS resources are drawn: one rule shared by the importer and collector.

Load balancers, databases, caches, clusters and Lambda functions span several
subnets, so they are drawn in their VPC. When a source names only a subnet
for one of them (AWS Config's "Is contained in Subnet", a Lambda VpcConfig
without its VpcId), the subnet's VPC becomes its parent.
"""

from __future__ import annotations

from cloudviz.inventory.model import Inventory

SPANS_SUBNETS = frozenset(
    {
        "network.load_balancer",
        "database.sql",
        "database.cache",
        "container.cluster",
        "container.service",
        "compute.function",
        "compute.scale_set",
    }
)


def lift_out_of_subnets(inventory: Inventory) -> None:
    """Re-parent subnet-spanning resources placed in a subnet to its VPC."""
    by_id = inventory.by_id()
    for resource in inventory.resources:
        if resource.kind not in SPANS_SUBNETS or resource.parent is None:
            continue
        container = by_id.get(resource.parent)
        if container is not None and container.kind == "network.subnet":
            resource.parent = container.parent or resource.parent
