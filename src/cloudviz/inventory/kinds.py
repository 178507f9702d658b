"""CloudViz's normalised categories of resources and relationships.

A `kind` is `family.thing`. Importers and collectors map each provider type to
one of these; a type nobody mapped yet is `other`, never an error.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "network.vpc",
    "network.subnet",
    "network.nic",
    "network.security_group",
    "network.load_balancer",
    "network.gateway",
    "network.public_ip",
    "network.dns",
    "network.cdn",
    "compute.vm",
    "compute.scale_set",
    "compute.function",
    "container.cluster",
    "container.service",
    "storage.bucket",
    "storage.disk",
    "database.sql",
    "database.nosql",
    "database.cache",
    "messaging.queue",
    "messaging.topic",
    "security.identity",
    "security.key_vault",
    "management.group",
    "other",
)
KNOWN_KINDS = frozenset(KINDS)

RELATIONSHIP_TYPES: tuple[str, ...] = (
    "contains",
    "attached_to",
    "secured_by",
    "routes_to",
    "targets",
    "peers_with",
    "depends_on",
    "uses",
)
KNOWN_RELATIONSHIP_TYPES = frozenset(RELATIONSHIP_TYPES)

PROVIDERS: tuple[str, ...] = ("aws", "azure", "gcp", "other")
KNOWN_PROVIDERS = frozenset(PROVIDERS)


def kind_family(kind: str) -> str:
    """`network` for `network.subnet`; `other` for `other`."""
    return kind.split(".", 1)[0]
