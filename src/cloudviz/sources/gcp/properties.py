"""What CloudViz keeps of a GCP resource's API data: a short, safe list.

Properties are picked by name rather than copied, so instance metadata
(startup scripts, ssh keys), function environment variables and anything else
not listed here never reaches an inventory.
"""

from __future__ import annotations

import re
from typing import Any

from cloudviz.sources.gcp.records import AssetRecord

_COMPUTE = "compute.googleapis.com/"
_LB = {
    "ip_address": "IPAddress",
    "ip_protocol": "IPProtocol",
    "port_range": "portRange",
    "ports": "ports",
    "load_balancing_scheme": "loadBalancingScheme",
}
_BACKEND = {"protocol": "protocol", "load_balancing_scheme": "loadBalancingScheme"}
_FUNCTION = {
    "runtime": "runtime",
    "build_runtime": "buildConfig.runtime",
    "entry_point": "entryPoint",
    "url": "httpsTrigger.url",
    "service_url": "serviceConfig.uri",
    "memory_mb": "availableMemoryMb",
}

PROPERTY_PATHS: dict[str, dict[str, str]] = {
    _COMPUTE + "Instance": {
        "machine_type": "machineType",
        "private_ip": "networkInterfaces.0.networkIP",
        "public_ip": "networkInterfaces.0.accessConfigs.0.natIP",
        "can_ip_forward": "canIpForward",
    },
    _COMPUTE + "Disk": {
        "size_gb": "sizeGb",
        "disk_type": "type",
        "image": "sourceImage",
    },
    _COMPUTE + "InstanceGroupManager": {"target_size": "targetSize"},
    _COMPUTE + "RegionInstanceGroupManager": {"target_size": "targetSize"},
    _COMPUTE + "InstanceGroup": {"size": "size"},
    _COMPUTE + "Network": {
        "auto_create_subnetworks": "autoCreateSubnetworks",
        "routing_mode": "routingConfig.routingMode",
        "mtu": "mtu",
    },
    _COMPUTE + "Subnetwork": {
        "cidr": "ipCidrRange",
        "private_google_access": "privateIpGoogleAccess",
        "purpose": "purpose",
    },
    _COMPUTE + "Firewall": {
        "direction": "direction",
        "priority": "priority",
        "source_ranges": "sourceRanges",
        "target_tags": "targetTags",
        "allowed": "allowed",
        "denied": "denied",
        "disabled": "disabled",
    },
    _COMPUTE + "ForwardingRule": _LB,
    _COMPUTE + "GlobalForwardingRule": _LB,
    _COMPUTE + "BackendService": _BACKEND,
    _COMPUTE + "RegionBackendService": _BACKEND,
    _COMPUTE + "TargetPool": {"session_affinity": "sessionAffinity"},
    _COMPUTE + "Address": {"address": "address", "address_type": "addressType"},
    _COMPUTE + "GlobalAddress": {"address": "address", "address_type": "addressType"},
    _COMPUTE + "Router": {"asn": "bgp.asn"},
    _COMPUTE + "Route": {"dest_range": "destRange", "priority": "priority"},
    "vpcaccess.googleapis.com/Connector": {"ip_cidr_range": "ipCidrRange"},
    "dns.googleapis.com/ManagedZone": {
        "dns_name": "dnsName",
        "visibility": "visibility",
    },
    "storage.googleapis.com/Bucket": {
        "storage_class": "storageClass",
        "location_type": "locationType",
        "versioning": "versioning.enabled",
        "public_access_prevention": "iamConfiguration.publicAccessPrevention",
    },
    "sqladmin.googleapis.com/Instance": {
        "database_version": "databaseVersion",
        "tier": "settings.tier",
        "availability_type": "settings.availabilityType",
        "public_ipv4": "settings.ipConfiguration.ipv4Enabled",
    },
    "redis.googleapis.com/Instance": {"tier": "tier", "memory_size_gb": "memorySizeGb"},
    "container.googleapis.com/Cluster": {
        "version": "currentMasterVersion",
        "node_count": "currentNodeCount",
        "autopilot": "autopilot.enabled",
        "private_nodes": "privateClusterConfig.enablePrivateNodes",
    },
    "container.googleapis.com/NodePool": {
        "machine_type": "config.machineType",
        "initial_node_count": "initialNodeCount",
        "autoscaling": "autoscaling.enabled",
        "version": "version",
    },
    "pubsub.googleapis.com/Subscription": {
        "ack_deadline_seconds": "ackDeadlineSeconds",
        "push_endpoint": "pushConfig.pushEndpoint",
    },
    "cloudfunctions.googleapis.com/CloudFunction": _FUNCTION,
    "cloudfunctions.googleapis.com/Function": _FUNCTION,
    "run.googleapis.com/Service": {"url": "status.url", "uri": "uri"},
    "cloudresourcemanager.googleapis.com/Project": {
        "project_number": "projectNumber",
        "lifecycle_state": "lifecycleState",
    },
}


_REFERENCE = re.compile(
    r"^(?:https://[a-z.]*googleapis\.com/|//|(?:projects|zones|regions|global)/)"
)


def short(found: Any) -> Any:
    """A reference (`zones/z/machineTypes/e2-small`) shortened to its name;
    a URL without its query string, where push endpoints keep their tokens."""
    if not isinstance(found, str):
        return found
    if _REFERENCE.match(found):
        return found.rstrip("/").rsplit("/", 1)[-1]
    if found.startswith(("https://", "http://")):
        return found.split("?", 1)[0]
    return found


def property_fields(asset_type: str) -> tuple[str, ...]:
    """The top-level resource fields the properties of `asset_type` come from."""
    paths = PROPERTY_PATHS.get(asset_type, {}).values()
    return tuple(path.split(".", 1)[0] for path in paths)


def resource_properties(record: AssetRecord) -> dict[str, Any]:
    """The listed properties of one asset, plus its state and network tags."""
    properties: dict[str, Any] = {}
    for key, path in PROPERTY_PATHS.get(record.asset_type, {}).items():
        found = record.get(path)
        if found is not None and found != "" and found != []:
            properties[key] = short(found)
    if record.state:
        properties["status"] = record.state
    if record.network_tags:
        properties["network_tags"] = list(record.network_tags)
    return properties
