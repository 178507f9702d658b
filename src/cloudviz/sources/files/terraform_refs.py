"""Relationships and containment inferred from a Terraform state's attributes.

Terraform resources point at each other through attribute values: an
`aws_instance` holds `subnet_id = "subnet-0a1b"`, an Azure NIC holds its
subnet's ARM id under `ip_configuration[0].subnet_id`, a GCP subnetwork holds
its network's self-link. `terraform_rules` says, per type, which attributes
are references and what they mean. References are collected while the state
streams (a few strings per resource) and resolved once every resource is known,
through an index of the ids, ARNs, self-links and names each resource answers
to.

Resolution runs in three steps:

1. direct references: a parent and edges from the resource's own attributes;
2. references through an intermediate: a database takes the VPC and the
   subnets of its DB subnet group, an Azure VM the subnet of its NIC;
3. back-end pools: a load balancer is said to target what its target group or
   back-end pool holds (and, for a NIC, the VM the NIC is attached to).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cloudviz.inventory.builder import InventoryBuilder, casefold_id
from cloudviz.inventory.model import Resource
from cloudviz.sources.files.terraform_attributes import gcp_full_name, gcp_host
from cloudviz.sources.files.terraform_kinds import POOL_TYPES
from cloudviz.sources.files.terraform_rules import (
    LINKS,
    PARENT,
    REFS,
    SUBNET_GROUP_TYPES,
    THROUGH,
    Link,
    Ref,
)

# (source id, target id, relationship type)
Edge = tuple[str, str, str]


def strings_at(values: Any, path: str) -> list[str]:
    """Every string at `path` (lists at the end or at `*` steps are walked)."""
    found: list[str] = []
    _collect(values, path.split("."), found)
    return found


def _collect(value: Any, steps: list[str], found: list[str]) -> None:
    if not steps:
        if isinstance(value, str) and value:
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, str) and item)
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(value, list):
            for item in value:
                _collect(item, rest, found)
    elif isinstance(value, dict):
        _collect(value.get(step), rest, found)


# -- the index and the resolution ---------------------------------------------------


_ARM_PARENT = Ref("id", PARENT)


def arm_parent_id(resource_id: str) -> str | None:
    """The ARM id a nested Azure resource sits in (a subnet's VNet), if any.

    `/subscriptions/s/resourceGroups/g/providers/NS/type/name/child/name`
    names its container by dropping the last two segments.
    """
    if not resource_id.startswith("/subscriptions/"):
        return None
    head, marker, tail = resource_id.rpartition("/providers/")
    segments = tail.strip("/").split("/")
    if not marker or len(segments) < 5:
        return None
    return f"{head}{marker}{'/'.join(segments[:-2])}"


def lookup_key(value: str) -> str:
    """How an id is compared: ARM ids without regard to case, others exactly."""
    if value.startswith("/"):
        return casefold_id(value)
    return value


@dataclass(slots=True)
class _Pending:
    source: str
    scope: str
    ref: Ref
    values: list[str]


@dataclass(slots=True)
class _PendingLink:
    scope: str
    link: Link
    sources: list[str]
    targets: list[str]


@dataclass(slots=True)
class ReferenceIndex:
    """What resources answer to, and the references waiting to be resolved.

    Holds a few strings per resource, never attribute documents.
    """

    aliases: dict[str, str] = field(default_factory=dict)
    names: dict[tuple[str, str, str], str] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    links: list[_PendingLink] = field(default_factory=list)
    # GCP firewalls apply to instances by network tag: (firewall, scope, tags)
    # and (scope, tag) -> instances carrying it.
    firewall_tags: list[tuple[str, str, list[str]]] = field(default_factory=list)
    instance_tags: dict[tuple[str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # References naming nothing in this file (managed by another state).
    unresolved: int = 0

    def add_resource(
        self, resource: Resource, rtype: str, values: dict[str, Any], scope: str
    ) -> None:
        """Index a resource and record its outgoing references."""
        for key in ("id", "arn", "self_link", "instance_group", "email"):
            value = values.get(key)
            if isinstance(value, str) and value:
                self.aliases.setdefault(lookup_key(value), resource.id)
        self.aliases[lookup_key(resource.id)] = resource.id
        self.names.setdefault((rtype, scope, resource.name.casefold()), resource.id)
        raw_name = values.get("name")
        if isinstance(raw_name, str) and raw_name:
            self.names.setdefault((rtype, scope, raw_name.casefold()), resource.id)
        for ref in REFS.get(rtype, ()):
            self.add_reference(resource.id, scope, ref, strings_at(values, ref.path))
        container = arm_parent_id(resource.id)
        if container:
            # Last, so an attribute naming the parent wins over the id's shape.
            self.add_reference(resource.id, scope, _ARM_PARENT, [container])
        if rtype == "google_compute_firewall":
            target_tags = strings_at(values, "target_tags")
            if target_tags:
                self.firewall_tags.append((resource.id, scope, target_tags))
        elif rtype == "google_compute_instance":
            for tag in strings_at(values, "tags"):
                self.instance_tags[(scope, tag)].append(resource.id)

    def add_reference(
        self, source: str, scope: str, ref: Ref, values: list[str]
    ) -> None:
        """Record that `source` refers to what `values` name, as `ref` says."""
        if values:
            self.pending.append(_Pending(source, scope, ref, values))

    def add_link(self, rtype: str, values: dict[str, Any], scope: str) -> None:
        for link in LINKS.get(rtype, ()):
            sources = strings_at(values, link.source)
            targets = strings_at(values, link.target)
            self.add_link_values(scope, link, sources, targets)

    def add_link_values(
        self, scope: str, link: Link, sources: list[str], targets: list[str]
    ) -> None:
        if sources and targets:
            self.links.append(_PendingLink(scope, link, sources, targets))

    def resolve(self, value: str, scope: str, names: tuple[str, ...]) -> str | None:
        """The id of the resource `value` names, or None."""
        found = self.aliases.get(lookup_key(value))
        if found:
            return found
        host = gcp_host(names[0]) if names else "compute.googleapis.com"
        full = gcp_full_name(value, host)
        if full and full in self.aliases:
            return self.aliases[full]
        short = value.rstrip("/").rsplit("/", 1)[-1].casefold()
        for rtype in names:
            found = self.names.get((rtype, scope, short))
            if found:
                return found
        return None


def apply_references(index: ReferenceIndex, builder: InventoryBuilder) -> None:
    """Set parents and record relationships once every resource is known."""
    edges, through = _direct_references(index, builder)
    edges.extend(_link_edges(index))

    attached: dict[str, list[str]] = defaultdict(list)
    for source, target, rel in edges:
        if rel == "attached_to":
            attached[source].append(target)
    for resource, targets in through:
        _adopt(resource, targets, builder, attached, edges)

    edges.extend(_firewall_edges(index, builder))
    for source, target, rel in _lift_pool_targets(edges, builder, attached):
        builder.relate(source, target, rel)


def _direct_references(
    index: ReferenceIndex, builder: InventoryBuilder
) -> tuple[list[Edge], list[tuple[Resource, list[str]]]]:
    """Parents set in place; the edges and the `THROUGH` references found."""
    edges: list[Edge] = []
    through: list[tuple[Resource, list[str]]] = []
    for item in index.pending:
        resource = builder.get(item.source)
        targets = [
            target
            for value in item.values
            if (target := index.resolve(value, item.scope, item.ref.names))
        ]
        if not targets and item.ref is not _ARM_PARENT:
            index.unresolved += 1
        if resource is None or not targets:
            continue
        if item.ref.rel == PARENT:
            resource.parent = resource.parent or targets[0]
        elif item.ref.rel == THROUGH:
            through.append((resource, targets))
        elif item.ref.reverse:
            edges.extend((target, item.source, item.ref.rel) for target in targets)
        else:
            edges.extend((item.source, target, item.ref.rel) for target in targets)
    return edges, through


def _link_edges(index: ReferenceIndex) -> Iterator[Edge]:
    for pending in index.links:
        link = pending.link
        sources = [
            found
            for value in pending.sources
            if (found := index.resolve(value, pending.scope, link.source_names))
        ]
        targets = [
            found
            for value in pending.targets
            if (found := index.resolve(value, pending.scope, link.target_names))
        ]
        if not sources or not targets:
            index.unresolved += 1
        yield from (
            (source, target, link.rel) for source in sources for target in targets
        )


def _firewall_edges(index: ReferenceIndex, builder: InventoryBuilder) -> Iterator[Edge]:
    """GCP instances secured by the firewalls whose target tags they carry."""
    for firewall_id, scope, tags in index.firewall_tags:
        firewall = builder.get(firewall_id)
        network = firewall.parent if firewall else None
        for tag in tags:
            for instance_id in index.instance_tags.get((scope, tag), ()):
                instance_network = _network_of(instance_id, builder)
                if network and instance_network and network != instance_network:
                    continue
                yield instance_id, firewall_id, "secured_by"


def _network_of(resource_id: str, builder: InventoryBuilder) -> str | None:
    current = builder.get(resource_id)
    for _ in range(4):
        if current is None or current.parent is None:
            return None
        current = builder.get(current.parent)
        if current is not None and current.kind == "network.vpc":
            return current.id
    return None


def _adopt(
    resource: Resource,
    targets: list[str],
    builder: InventoryBuilder,
    attached: dict[str, list[str]],
    edges: list[Edge],
) -> None:
    """Give `resource` the parent and attachments of what it goes through."""
    for target in targets:
        middle = builder.get(target)
        if middle is None:
            continue
        if resource.parent is None and middle.parent is not None:
            resource.parent = middle.parent
        if middle.type in SUBNET_GROUP_TYPES:
            # The database or cache sits in the subnets of its group.
            edges.extend((resource.id, end, "attached_to") for end in attached[target])
            edges.append((resource.id, target, "uses"))


def _lift_pool_targets(
    edges: list[Edge],
    builder: InventoryBuilder,
    attached: dict[str, list[str]],
) -> Iterator[Edge]:
    """Edges, with what a pool targets also targeted by the balancers before it."""
    balancers: dict[str, list[str]] = defaultdict(list)
    for source, target, rel in edges:
        if rel == "routes_to":
            balancers[target].append(source)
    for source, target, rel in edges:
        yield source, target, rel
        pool = builder.get(source)
        if rel != "targets" or pool is None or pool.type not in POOL_TYPES:
            continue
        fronts = list(balancers.get(source, ()))
        if pool.parent is not None:
            parent = builder.get(pool.parent)
            if parent is not None and parent.kind == "network.load_balancer":
                fronts.append(parent.id)
        backend = builder.get(target)
        ends = [target]
        if backend is not None and backend.kind == "network.nic":
            ends.extend(
                vm
                for vm in attached.get(target, ())
                if (found := builder.get(vm)) is not None and found.kind == "compute.vm"
            )
        for front in fronts:
            for end in ends:
                yield front, end, "targets"
