"""What a node says about its resource: label, key property, hover details."""

from __future__ import annotations

import hashlib
from typing import Any

from cloudviz.diagram.escape import SUSPECT_TEXT, one_line, truncate
from cloudviz.inventory.model import Resource

# The one property worth showing under a resource's name, by kind; the first
# one present wins. Kinds not listed try _ANY_KIND.
_KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "compute.vm": ("instance_type", "vm_size", "machine_type", "size", "private_ip"),
    "compute.scale_set": ("instance_type", "sku", "capacity"),
    "compute.function": ("runtime",),
    "network.vpc": ("cidr", "cidr_block", "address_space"),
    "network.subnet": ("cidr", "cidr_block", "address_prefix"),
    "network.nic": ("private_ip",),
    "network.security_group": ("ingress_rules",),
    "network.load_balancer": ("scheme", "sku", "type"),
    "network.public_ip": ("ip_address", "public_ip"),
    "database.sql": ("engine", "sku", "tier"),
    "database.nosql": ("engine", "sku"),
    "database.cache": ("engine", "node_type", "sku"),
    "storage.bucket": ("storage_class", "versioning"),
    "storage.disk": ("size_gb", "disk_type"),
    "container.cluster": ("version", "kubernetes_version"),
}
_ANY_KIND = ("instance_type", "sku", "size", "engine", "runtime", "cidr", "state")

DETAIL_VALUE_LIMIT = 200  # characters of one hover value; cloud text can be long
TAG_PREFIX = "tag:"


def key_property(resource: Resource) -> str:
    """The key property of `resource` as short text, or ''."""
    properties = resource.properties
    if not properties:
        return ""
    for key in _KEY_PROPERTIES.get(resource.kind, _ANY_KIND):
        value = properties.get(key)
        if value is None or value == "":
            continue
        words = key.replace("_", " ")
        if isinstance(value, str):
            return truncate(one_line(value), 40)
        if isinstance(value, bool):  # `versioning`, `no multi az`
            return words if value else f"no {words}"
        if isinstance(value, int | float):  # `12 ingress rules`
            return truncate(f"{value:g} {words}", 40)
        return truncate(one_line(f"{words}: {value}"), 40)
    return ""


def _text(value: Any) -> str:
    text = value if type(value) is str else str(value)
    text = one_line(text)
    if len(text) > DETAIL_VALUE_LIMIT:
        return truncate(text, DETAIL_VALUE_LIMIT)
    return text


def resource_details(resource: Resource) -> dict[str, str]:
    """Everything a hover or details panel shows, as ordered text pairs.

    Tags appear as `tag:KEY`, so collapsing by tag can read them back.
    """
    # The hottest loop of a render: clean text (the common case) skips the
    # cleaning calls after one regex search.
    suspect = SUSPECT_TEXT.search
    limit = DETAIL_VALUE_LIMIT
    details = {"name": resource.name, "kind": resource.kind, "type": resource.type}
    details["id"] = resource.id
    for key in ("account", "region", "zone", "group"):
        value = getattr(resource, key)
        if value:
            details[key] = value
    for key, value in resource.tags.items():
        details[TAG_PREFIX + key] = value
    for key, value in resource.properties.items():
        if value is not None and not isinstance(value, dict | list):
            details[key] = value if type(value) is str else str(value)
    values = details.values()
    if (
        suspect("".join(details))
        or suspect("".join(values))
        or max(map(len, values)) > limit
    ):
        return {_text(k): _text(v) for k, v in details.items()}
    return details


def stable_id(prefix: str, key: str) -> str:
    """A short id derived from `key`: the same key gives the same id in every
    render, and it holds only letters and digits, so every format accepts it."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8)
    return prefix + digest.hexdigest()
