"""Read a Terraform resource's attributes into CloudViz's resource fields.

Everything here works on one instance's `values` (sensitive values already
removed) and never trusts their types: a damaged state gives fewer fields,
never an exception. Properties come from a curated allow-list per kind, under
the same names the other sources use (`instance_type`, `cidr`, `private_ip`,
...), so a diagram labels a Terraform VM the way it labels a discovered one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cloudviz.sources.files.terraform_stream import TerraformInstance

_ARN = re.compile(r"^arn:[\w-]+:[\w-]*:([\w-]*):(\d*):")
_AWS_ZONE = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$")
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")
_ARM_SCOPE = re.compile(
    r"^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?", re.IGNORECASE
)
_GCP_PROJECT = re.compile(r"(?:^|/)projects/([^/]+)")
_GCP_SELF_LINK = (
    (re.compile(r"^https://[^/]+/compute/[^/]+/(projects/.+)$"), "compute"),
    (re.compile(r"^https://[^/]+/sql/[^/]+/(projects/.+)$"), "sqladmin"),
    (re.compile(r"^https://[^/]+/storage/v1/b/([^/]+)$"), "storage"),
)
# The API host of each google_* family, for turning ids into full names.
_GCP_HOSTS = (
    ("google_compute_", "compute"),
    ("google_container_", "container"),
    ("google_sql_", "sqladmin"),
    ("google_storage_", "storage"),
    ("google_pubsub_", "pubsub"),
    ("google_cloudfunctions", "cloudfunctions"),
    ("google_cloud_run", "run"),
    ("google_redis_", "redis"),
    ("google_service_account", "iam"),
    ("google_kms_", "cloudkms"),
    ("google_secret_manager_", "secretmanager"),
    ("google_dns_", "dns"),
    ("google_bigtable_", "bigtableadmin"),
    ("google_firestore_", "firestore"),
    ("google_project", "cloudresourcemanager"),
)
_NAME_ATTRIBUTES = (
    "name",
    "bucket",
    "function_name",
    "identifier",
    "cluster_identifier",
    "cluster_id",
    "replication_group_id",
    "display_name",
    "account_id",
)


def text(values: dict[str, Any], key: str) -> str | None:
    """`values[key]` when it is a non-empty string."""
    value = values.get(key)
    return value if isinstance(value, str) and value else None


# -- identity -------------------------------------------------------------------


def gcp_host(rtype: str) -> str:
    for prefix, host in _GCP_HOSTS:
        if rtype.startswith(prefix):
            return f"{host}.googleapis.com"
    # google_bigquery_dataset -> bigquery.googleapis.com
    service = rtype.removeprefix("google_").split("_", 1)[0]
    return f"{service}.googleapis.com"


def gcp_full_name(value: str, host: str) -> str | None:
    """A GCP self-link, full name or `projects/...` path as a full resource name."""
    if value.startswith("//"):
        return value
    for pattern, service in _GCP_SELF_LINK:
        match = pattern.match(value)
        if match:
            return f"//{service}.googleapis.com/{match.group(1)}"
    if value.startswith("projects/"):
        return f"//{host}/{value}"
    return None


def resource_id(instance: TerraformInstance, provider: str) -> str:
    """The provider's own id found in the state; the address when there is none.

    AWS: the ARN when present, else `id`. Azure: the ARM id. GCP: the full
    resource name (`//compute.googleapis.com/projects/...`), the form Cloud
    Asset uses, built from `self_link` or `id`.
    """
    values = instance.values
    if provider == "aws":
        arn = text(values, "arn")
        if arn and arn.startswith("arn:"):
            return arn
    if provider == "gcp":
        host = gcp_host(instance.type)
        if instance.type == "google_storage_bucket" and text(values, "name"):
            return f"//{host}/{values['name']}"
        for key in ("self_link", "id"):
            value = text(values, key)
            full = gcp_full_name(value, host) if value else None
            if full:
                return full
    return text(values, "id") or instance.address


# -- name and tags --------------------------------------------------------------


def display_name(instance: TerraformInstance, tags: dict[str, str]) -> str:
    """The name a reader knows the resource by."""
    tagged = tags.get("Name")
    if tagged:
        return tagged
    for key in _NAME_ATTRIBUTES:
        value = text(instance.values, key)
        if value:
            return value
    return instance.address.split(f"{instance.type}.", 1)[-1]


def resource_tags(values: dict[str, Any], provider: str) -> dict[str, str]:
    """Key/value tags (GCP labels); provider-wide default tags included."""
    sources = ("labels",) if provider == "gcp" else ("tags_all", "tags")
    tags: dict[str, str] = {}
    for key in sources:
        found = values.get(key)
        if isinstance(found, dict):
            for name, value in found.items():
                if isinstance(value, (str, int, float, bool)):
                    tags[str(name)] = str(value)
    return tags


# -- place ------------------------------------------------------------------------


@dataclass(slots=True)
class Place:
    account: str | None = None
    region: str | None = None
    zone: str | None = None
    group: str | None = None


def resource_place(instance: TerraformInstance, provider: str, rid: str) -> Place:
    if provider == "aws":
        return _aws_place(instance.values, rid)
    if provider == "azure":
        return _azure_place(instance, rid)
    if provider == "gcp":
        return _gcp_place(instance.values, rid)
    return Place(region=text(instance.values, "region"))


def _aws_place(values: dict[str, Any], rid: str) -> Place:
    place = Place(zone=text(values, "availability_zone"))
    match = _ARN.match(rid)
    if match:
        place.region = match.group(1) or None
        place.account = match.group(2) or None
    place.region = place.region or text(values, "region")
    if not place.region and place.zone:
        zone = _AWS_ZONE.match(place.zone)
        place.region = zone.group(1) if zone else None
    owner = text(values, "owner_id")
    if not place.account and owner and owner.isdigit():
        place.account = owner
    return place


def _azure_place(instance: TerraformInstance, rid: str) -> Place:
    values = instance.values
    location = text(values, "location")
    place = Place(region=location.replace(" ", "").lower() if location else None)
    zones = values.get("zones")
    place.zone = text(values, "zone") or (
        zones[0]
        if isinstance(zones, list) and zones and isinstance(zones[0], str)
        else None
    )
    scope = _ARM_SCOPE.match(rid)
    if scope:
        place.account = scope.group(1)
        place.group = scope.group(2)
    place.group = text(values, "resource_group_name") or place.group
    if instance.type == "azurerm_resource_group":
        place.group = text(values, "name") or place.group
    return place


def _gcp_place(values: dict[str, Any], rid: str) -> Place:
    place = Place(account=text(values, "project"))
    if not place.account:
        project = _GCP_PROJECT.search(rid)
        place.account = project.group(1) if project else None
    zone = text(values, "zone")
    place.zone = zone.rsplit("/", 1)[-1] if zone else None
    region = text(values, "region")
    if region:
        place.region = region.rsplit("/", 1)[-1]
    elif place.zone and _GCP_ZONE.match(place.zone):
        place.region = _GCP_ZONE.match(place.zone).group(1)  # type: ignore[union-attr]
    else:
        location = text(values, "location")
        place.region = location.lower() if location else None
    return place


# -- properties -------------------------------------------------------------------

# canonical property name -> attribute paths tried in order ("a.0.b" walks lists)
_PROPERTY_PATHS: dict[str, tuple[str, ...]] = {
    "instance_type": (
        "instance_type",
        "size",
        "vm_size",
        "machine_type",
        "sku",
        "instance_types",
        "node_config.0.machine_type",
        "default_node_pool.0.vm_size",
    ),
    "private_ip": (
        "private_ip",
        "private_ip_address",
        "private_ips",
        "ip_configuration.0.private_ip_address",
        "network_interface.0.network_ip",
    ),
    "public_ip": ("public_ip", "public_ip_address"),
    "state": ("instance_state", "current_status", "state", "status"),
    "image": ("ami", "source_image_id", "boot_disk.0.initialize_params.0.image"),
    "cidr": ("cidr_block", "address_space", "address_prefixes", "ip_cidr_range"),
    "public": ("map_public_ip_on_launch",),
    "mac_address": ("mac_address",),
    "description": ("description",),
    "lb_type": ("load_balancer_type", "sku", "load_balancing_scheme"),
    "internal": ("internal",),
    "dns_name": ("dns_name", "fqdn"),
    "address": ("public_ip", "ip_address", "address"),
    "allocation": ("allocation_method", "address_type", "domain"),
    "engine": ("engine", "database_version"),
    "engine_version": ("engine_version", "version"),
    "instance_class": (
        "instance_class",
        "node_type",
        "sku_name",
        "settings.0.tier",
        "tier",
    ),
    "multi_az": ("multi_az", "zone_redundant"),
    "storage_gb": (
        "allocated_storage",
        "max_size_gb",
        "size",
        "size_gb",
        "disk_size_gb",
    ),
    "encrypted": ("storage_encrypted", "encrypted"),
    "nodes": ("num_cache_nodes", "num_node_groups", "capacity", "memory_size_gb"),
    "billing_mode": ("billing_mode", "offer_type"),
    "storage_class": ("storage_class", "account_tier", "access_tier"),
    "replication": ("account_replication_type",),
    "versioning": ("versioning.0.enabled", "versioning.enabled"),
    "runtime": ("runtime", "package_type", "build_config.0.runtime"),
    "memory_mb": ("memory_size", "available_memory_mb"),
    "timeout": ("timeout",),
    "version": ("version", "kubernetes_version", "min_master_version"),
    "node_count": ("default_node_pool.0.node_count", "initial_node_count"),
    "desired_count": ("desired_count", "desired_capacity", "target_size", "node_count"),
    "min_size": ("min_size",),
    "max_size": ("max_size",),
    "launch_type": ("launch_type",),
    "fifo": ("fifo_queue", "fifo_topic"),
    "disk_type": ("type", "volume_type", "storage_account_type"),
    "sku": ("sku_name", "sku"),
    "connectivity": ("connectivity_type",),
}

_KIND_PROPERTIES: dict[str, tuple[str, ...]] = {
    "compute.vm": ("instance_type", "private_ip", "public_ip", "state", "image"),
    "compute.scale_set": ("instance_type", "desired_count", "min_size", "max_size"),
    "compute.function": ("runtime", "memory_mb", "timeout"),
    "container.cluster": ("version", "node_count"),
    "container.service": ("desired_count", "launch_type"),
    "network.vpc": ("cidr",),
    "network.subnet": ("cidr", "public"),
    "network.nic": ("private_ip", "mac_address"),
    "network.security_group": ("description",),
    "network.load_balancer": ("lb_type", "internal", "dns_name"),
    "network.gateway": ("connectivity",),
    "network.public_ip": ("address", "allocation"),
    "storage.bucket": ("storage_class", "replication", "versioning"),
    "storage.disk": ("storage_gb", "disk_type", "encrypted"),
    "database.sql": (
        "engine",
        "engine_version",
        "instance_class",
        "multi_az",
        "storage_gb",
        "encrypted",
    ),
    "database.nosql": ("billing_mode",),
    "database.cache": ("engine", "engine_version", "instance_class", "nodes"),
    "messaging.queue": ("fifo",),
    "messaging.topic": ("fifo",),
    "security.key_vault": ("sku",),
}

_RULE_LISTS = ("ingress", "egress", "security_rule", "allow", "deny")
_MAX_LIST = 20


def resource_properties(values: dict[str, Any], kind: str) -> dict[str, Any]:
    """The allow-listed properties of a resource of `kind`; scalars only."""
    properties: dict[str, Any] = {}
    for name in _KIND_PROPERTIES.get(kind, ()):
        for path in _PROPERTY_PATHS[name]:
            value = _plain(_lookup(values, path))
            if value is not None:
                properties[name] = value
                break
    if kind == "network.security_group":
        rules = [values.get(key) for key in _RULE_LISTS]
        counted = [len(rule) for rule in rules if isinstance(rule, list)]
        if counted:
            properties["rules"] = sum(counted)
    return properties


def _lookup(values: Any, path: str) -> Any:
    for step in path.split("."):
        if isinstance(values, dict):
            values = values.get(step)
        elif isinstance(values, list) and step.isdigit():
            position = int(step)
            values = values[position] if position < len(values) else None
        else:
            return None
    return values


def _plain(value: Any) -> Any:
    """Scalars and short lists of scalars; `None` for anything else or empty."""
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value or None
    if isinstance(value, list) and value:
        items = [item for item in value[:_MAX_LIST] if isinstance(item, (str, int))]
        return items or None
    return None
