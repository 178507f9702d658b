"""The GCP asset types CloudViz reads, and the kind each one maps to.

`ASSET_KINDS` is also the list the live collector asks Cloud Asset Inventory
for, so an importer and the collector know exactly the same types. Any other
type found in an export is kept with kind `other`.
"""

from __future__ import annotations

_COMPUTE = "compute.googleapis.com/"

ASSET_KINDS: dict[str, str] = {
    _COMPUTE + "Instance": "compute.vm",
    _COMPUTE + "Disk": "storage.disk",
    _COMPUTE + "RegionDisk": "storage.disk",
    _COMPUTE + "InstanceGroup": "compute.scale_set",
    _COMPUTE + "InstanceGroupManager": "compute.scale_set",
    _COMPUTE + "RegionInstanceGroupManager": "compute.scale_set",
    _COMPUTE + "Network": "network.vpc",
    _COMPUTE + "Subnetwork": "network.subnet",
    _COMPUTE + "Firewall": "network.security_group",
    _COMPUTE + "ForwardingRule": "network.load_balancer",
    _COMPUTE + "GlobalForwardingRule": "network.load_balancer",
    _COMPUTE + "BackendService": "network.load_balancer",
    _COMPUTE + "RegionBackendService": "network.load_balancer",
    _COMPUTE + "TargetPool": "network.load_balancer",
    _COMPUTE + "TargetHttpProxy": "network.load_balancer",
    _COMPUTE + "TargetHttpsProxy": "network.load_balancer",
    _COMPUTE + "UrlMap": "network.load_balancer",
    _COMPUTE + "Router": "network.gateway",
    _COMPUTE + "VpnGateway": "network.gateway",
    _COMPUTE + "Address": "network.public_ip",
    _COMPUTE + "GlobalAddress": "network.public_ip",
    _COMPUTE + "Route": "other",
    "vpcaccess.googleapis.com/Connector": "network.gateway",
    "dns.googleapis.com/ManagedZone": "network.dns",
    "storage.googleapis.com/Bucket": "storage.bucket",
    "sqladmin.googleapis.com/Instance": "database.sql",
    "redis.googleapis.com/Instance": "database.cache",
    "container.googleapis.com/Cluster": "container.cluster",
    "container.googleapis.com/NodePool": "compute.scale_set",
    "pubsub.googleapis.com/Topic": "messaging.topic",
    "pubsub.googleapis.com/Subscription": "messaging.queue",
    "cloudfunctions.googleapis.com/CloudFunction": "compute.function",
    "cloudfunctions.googleapis.com/Function": "compute.function",
    "run.googleapis.com/Service": "container.service",
    "cloudresourcemanager.googleapis.com/Project": "management.group",
    "cloudresourcemanager.googleapis.com/Folder": "management.group",
    "cloudresourcemanager.googleapis.com/Organization": "management.group",
}

DISCOVERED_ASSET_TYPES: tuple[str, ...] = tuple(ASSET_KINDS)

# Pages of one ListAssets stream follow each other by token, so discovery
# reads a scope as several streams in parallel, one per group of types. The
# groups set apart what is usually the bulk of an estate: instances and disks.
_BULK = (("Instance",), ("Disk", "RegionDisk"))
_BULK_TYPES = frozenset(_COMPUTE + name for group in _BULK for name in group)
DISCOVERY_GROUPS: tuple[tuple[str, ...], ...] = (
    *(tuple(_COMPUTE + name for name in group) for group in _BULK),
    tuple(
        t
        for t in DISCOVERED_ASSET_TYPES
        if t.startswith(_COMPUTE) and t not in _BULK_TYPES
    ),
    tuple(t for t in DISCOVERED_ASSET_TYPES if not t.startswith(_COMPUTE)),
)

PROJECT_TYPE = "cloudresourcemanager.googleapis.com/Project"
CONTAINER_TYPES = frozenset(
    {
        PROJECT_TYPE,
        "cloudresourcemanager.googleapis.com/Folder",
        "cloudresourcemanager.googleapis.com/Organization",
    }
)


def kind_of(asset_type: str) -> str:
    return ASSET_KINDS.get(asset_type, "other")
