"""Relationships and containment inferred from a Terraform state's attributes.

Terraform resources point at each other through attribute values: an
`aws_instance` holds `subnet_id = "subnet-0a1b"`, an Azure NIC holds its
subnet's ARM id under `ip_configuration[0].subnet_id`, a GCP subnetwork holds
its network's self-link. The rules below say, per type, which attributes are
references and what they mean. References are collected while the state
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

PARENT = "parent"
# Take the target's parent as ours and its `attached_to` targets as our own.
THROUGH = "through"


@dataclass(frozen=True, slots=True)
class Ref:
    """An attribute of a resource that names another resource.

    `path` walks dicts by key and lists with `*` (`vpc_config.*.subnet_ids`).
    `rel` is a relationship type, `PARENT` or `THROUGH`; `reverse` turns the
    edge around (an instance's `network_interface_ids` make NIC attached_to
    VM). `names` lists the types whose name the value may be instead of an id.
    """

    path: str
    rel: str
    reverse: bool = False
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A link-only resource type: an edge from `source` to `target`."""

    source: str
    target: str
    rel: str
    source_names: tuple[str, ...] = ()
    target_names: tuple[str, ...] = ()


_VNET = ("azurerm_virtual_network",)
_AWS_SG = ("aws_security_group", "aws_default_security_group")
_GCP_NETWORK = ("google_compute_network",)
_GCP_SUBNET = ("google_compute_subnetwork",)
_SUBNET_PARENT = (Ref("subnet_id", PARENT),)
_VPC_PARENT = (Ref("vpc_id", PARENT),)
_VPC_GATEWAY = (Ref("vpc_id", PARENT), Ref("vpc_id", "attached_to"))
_AZURE_VM = (
    Ref("network_interface_ids", "attached_to", reverse=True),
    Ref("network_interface_ids", THROUGH),
    Ref("primary_network_interface_id", THROUGH),
)
_AZURE_SERVER_CHILD = (
    Ref("server_id", PARENT),
    Ref(
        "server_name",
        PARENT,
        names=("azurerm_postgresql_server", "azurerm_mssql_server"),
    ),
)
_GCP_PLACED = (
    Ref("subnetwork", PARENT, names=_GCP_SUBNET),
    Ref("network", PARENT, names=_GCP_NETWORK),
)

REFS: dict[str, tuple[Ref, ...]] = {
    # AWS
    "aws_subnet": _VPC_PARENT,
    "aws_default_subnet": _VPC_PARENT,
    "aws_security_group": _VPC_PARENT,
    "aws_network_acl": (*_VPC_PARENT, Ref("subnet_ids", "secured_by", reverse=True)),
    "aws_route_table": (
        *_VPC_PARENT,
        Ref("route.*.gateway_id", "routes_to"),
        Ref("route.*.nat_gateway_id", "routes_to"),
        Ref("route.*.transit_gateway_id", "routes_to"),
    ),
    "aws_internet_gateway": _VPC_GATEWAY,
    "aws_egress_only_internet_gateway": _VPC_GATEWAY,
    "aws_vpn_gateway": _VPC_GATEWAY,
    "aws_vpc_endpoint": (*_VPC_PARENT, Ref("subnet_ids", "attached_to")),
    "aws_nat_gateway": (
        *_SUBNET_PARENT,
        Ref("allocation_id", "attached_to", reverse=True),
    ),
    "aws_instance": (
        *_SUBNET_PARENT,
        Ref("vpc_security_group_ids", "secured_by"),
        Ref("security_groups", "secured_by", names=_AWS_SG),
        Ref("primary_network_interface_id", "attached_to", reverse=True),
        Ref("network_interface.*.network_interface_id", "attached_to", reverse=True),
        Ref("iam_instance_profile", "uses", names=("aws_iam_instance_profile",)),
    ),
    "aws_network_interface": (
        *_SUBNET_PARENT,
        Ref("security_groups", "secured_by"),
        Ref("attachment.*.instance", "attached_to"),
    ),
    "aws_eip": (
        Ref("instance", "attached_to"),
        Ref("network_interface", "attached_to"),
    ),
    "aws_lb": (
        Ref("vpc_id", PARENT),
        Ref("subnets", "attached_to"),
        Ref("security_groups", "secured_by"),
    ),
    "aws_alb": (
        Ref("vpc_id", PARENT),
        Ref("subnets", "attached_to"),
        Ref("security_groups", "secured_by"),
    ),
    "aws_elb": (Ref("subnets", "attached_to"), Ref("instances", "targets")),
    "aws_lb_target_group": (
        *_VPC_PARENT,
        Ref("load_balancer_arns", "routes_to", reverse=True),
    ),
    "aws_alb_target_group": (
        *_VPC_PARENT,
        Ref("load_balancer_arns", "routes_to", reverse=True),
    ),
    "aws_autoscaling_group": (
        Ref("vpc_zone_identifier", "attached_to"),
        Ref("target_group_arns", "targets", reverse=True),
    ),
    "aws_db_subnet_group": (*_VPC_PARENT, Ref("subnet_ids", "attached_to")),
    "aws_elasticache_subnet_group": (*_VPC_PARENT, Ref("subnet_ids", "attached_to")),
    "aws_db_instance": (
        Ref("db_subnet_group_name", THROUGH, names=("aws_db_subnet_group",)),
        Ref("vpc_security_group_ids", "secured_by"),
    ),
    "aws_rds_cluster": (
        Ref("db_subnet_group_name", THROUGH, names=("aws_db_subnet_group",)),
        Ref("vpc_security_group_ids", "secured_by"),
    ),
    "aws_rds_cluster_instance": (
        Ref("cluster_identifier", PARENT, names=("aws_rds_cluster",)),
    ),
    "aws_elasticache_cluster": (
        Ref("subnet_group_name", THROUGH, names=("aws_elasticache_subnet_group",)),
        Ref("security_group_ids", "secured_by"),
    ),
    "aws_elasticache_replication_group": (
        Ref("subnet_group_name", THROUGH, names=("aws_elasticache_subnet_group",)),
        Ref("security_group_ids", "secured_by"),
    ),
    "aws_lambda_function": (
        Ref("vpc_config.*.subnet_ids", "attached_to"),
        Ref("vpc_config.*.security_group_ids", "secured_by"),
        Ref("role", "uses"),
    ),
    "aws_ecs_service": (
        Ref("cluster", PARENT, names=("aws_ecs_cluster",)),
        Ref("network_configuration.*.subnets", "attached_to"),
        Ref("network_configuration.*.security_groups", "secured_by"),
        Ref("load_balancer.*.target_group_arn", "targets", reverse=True),
        Ref("iam_role", "uses"),
    ),
    "aws_eks_cluster": (
        Ref("vpc_config.*.vpc_id", PARENT),
        Ref("vpc_config.*.subnet_ids", "attached_to"),
        Ref("vpc_config.*.security_group_ids", "secured_by"),
        Ref("role_arn", "uses"),
    ),
    "aws_eks_node_group": (
        Ref("cluster_name", PARENT, names=("aws_eks_cluster",)),
        Ref("subnet_ids", "attached_to"),
    ),
    "aws_iam_instance_profile": (Ref("role", "uses", names=("aws_iam_role",)),),
    # Azure
    "azurerm_virtual_network": (Ref("subnet.*.security_group", "secured_by"),),
    "azurerm_subnet": (Ref("virtual_network_name", PARENT, names=_VNET),),
    "azurerm_network_interface": (
        Ref("ip_configuration.*.subnet_id", PARENT),
        Ref("ip_configuration.*.public_ip_address_id", "attached_to", reverse=True),
        Ref("network_security_group_id", "secured_by"),
    ),
    "azurerm_private_endpoint": (Ref("subnet_id", PARENT),),
    "azurerm_linux_virtual_machine": _AZURE_VM,
    "azurerm_windows_virtual_machine": _AZURE_VM,
    "azurerm_virtual_machine": _AZURE_VM,
    "azurerm_linux_virtual_machine_scale_set": (
        Ref("network_interface.*.ip_configuration.*.subnet_id", PARENT),
    ),
    "azurerm_windows_virtual_machine_scale_set": (
        Ref("network_interface.*.ip_configuration.*.subnet_id", PARENT),
    ),
    "azurerm_lb": (
        Ref("frontend_ip_configuration.*.subnet_id", PARENT),
        Ref("frontend_ip_configuration.*.public_ip_address_id", "attached_to", True),
    ),
    "azurerm_lb_backend_address_pool": (
        Ref("loadbalancer_id", PARENT),
        Ref("loadbalancer_id", "routes_to", reverse=True),
    ),
    "azurerm_application_gateway": (
        Ref("gateway_ip_configuration.*.subnet_id", PARENT),
    ),
    "azurerm_nat_gateway": (),
    "azurerm_bastion_host": (Ref("ip_configuration.*.subnet_id", PARENT),),
    "azurerm_firewall": (Ref("ip_configuration.*.subnet_id", PARENT),),
    "azurerm_kubernetes_cluster": (
        Ref("default_node_pool.*.vnet_subnet_id", PARENT),
        Ref("default_node_pool.*.vnet_subnet_id", "attached_to"),
    ),
    "azurerm_kubernetes_cluster_node_pool": (
        Ref("kubernetes_cluster_id", PARENT),
        Ref("vnet_subnet_id", "attached_to"),
    ),
    "azurerm_mssql_database": _AZURE_SERVER_CHILD,
    "azurerm_sql_database": _AZURE_SERVER_CHILD,
    "azurerm_postgresql_database": _AZURE_SERVER_CHILD,
    "azurerm_postgresql_flexible_server_database": _AZURE_SERVER_CHILD,
    "azurerm_mysql_flexible_database": _AZURE_SERVER_CHILD,
    "azurerm_postgresql_flexible_server": (Ref("delegated_subnet_id", PARENT),),
    "azurerm_mysql_flexible_server": (Ref("delegated_subnet_id", PARENT),),
    "azurerm_linux_function_app": (
        Ref("virtual_network_subnet_id", "attached_to"),
        Ref("storage_account_name", "uses", names=("azurerm_storage_account",)),
    ),
    "azurerm_windows_function_app": (
        Ref("virtual_network_subnet_id", "attached_to"),
        Ref("storage_account_name", "uses", names=("azurerm_storage_account",)),
    ),
    "azurerm_storage_container": (
        Ref("storage_account_id", PARENT),
        Ref("storage_account_name", PARENT, names=("azurerm_storage_account",)),
    ),
    # Google
    "google_compute_subnetwork": (Ref("network", PARENT, names=_GCP_NETWORK),),
    "google_compute_firewall": (Ref("network", PARENT, names=_GCP_NETWORK),),
    "google_compute_router": (Ref("network", PARENT, names=_GCP_NETWORK),),
    "google_compute_router_nat": (
        Ref("router", "attached_to", names=("google_compute_router",)),
    ),
    "google_compute_instance": (
        Ref("network_interface.*.subnetwork", PARENT, names=_GCP_SUBNET),
        Ref("network_interface.*.network", PARENT, names=_GCP_NETWORK),
        Ref("service_account.*.email", "uses", names=("google_service_account",)),
    ),
    "google_compute_address": (
        Ref("subnetwork", PARENT, names=_GCP_SUBNET),
        Ref("users", "attached_to"),
    ),
    "google_compute_forwarding_rule": (
        *_GCP_PLACED,
        Ref("backend_service", "routes_to"),
        Ref("target", "routes_to"),
    ),
    "google_compute_region_backend_service": (
        Ref("network", PARENT, names=_GCP_NETWORK),
        Ref("backend.*.group", "targets"),
    ),
    "google_compute_backend_service": (Ref("backend.*.group", "targets"),),
    "google_compute_target_pool": (Ref("instances", "targets"),),
    "google_container_cluster": _GCP_PLACED,
    "google_container_node_pool": (
        Ref("cluster", PARENT, names=("google_container_cluster",)),
    ),
    "google_sql_database_instance": (
        Ref("settings.*.ip_configuration.*.private_network", "attached_to"),
    ),
    "google_sql_database": (
        Ref("instance", PARENT, names=("google_sql_database_instance",)),
    ),
    "google_cloudfunctions_function": (
        Ref("source_archive_bucket", "uses", names=("google_storage_bucket",)),
    ),
    "google_pubsub_subscription": (
        Ref("topic", "uses", names=("google_pubsub_topic",)),
    ),
}

LINKS: dict[str, tuple[Link, ...]] = {
    "aws_lb_target_group_attachment": (
        Link("target_group_arn", "target_id", "targets"),
    ),
    "aws_alb_target_group_attachment": (
        Link("target_group_arn", "target_id", "targets"),
    ),
    "aws_autoscaling_attachment": (
        Link(
            "lb_target_group_arn",
            "autoscaling_group_name",
            "targets",
            target_names=("aws_autoscaling_group",),
        ),
    ),
    "aws_lb_listener": (
        Link("load_balancer_arn", "default_action.*.target_group_arn", "routes_to"),
        Link(
            "load_balancer_arn",
            "default_action.*.forward.*.target_group.*.arn",
            "routes_to",
        ),
    ),
    "aws_alb_listener": (
        Link("load_balancer_arn", "default_action.*.target_group_arn", "routes_to"),
    ),
    "aws_network_interface_attachment": (
        Link("network_interface_id", "instance_id", "attached_to"),
    ),
    "aws_network_interface_sg_attachment": (
        Link("network_interface_id", "security_group_id", "secured_by"),
    ),
    "aws_volume_attachment": (Link("volume_id", "instance_id", "attached_to"),),
    "aws_eip_association": (
        Link("allocation_id", "instance_id", "attached_to"),
        Link("allocation_id", "network_interface_id", "attached_to"),
    ),
    "aws_route_table_association": (
        Link("subnet_id", "route_table_id", "routes_to"),
        Link("gateway_id", "route_table_id", "routes_to"),
    ),
    "aws_vpc_peering_connection": (Link("vpc_id", "peer_vpc_id", "peers_with"),),
    "aws_vpc_peering_connection_accepter": (),
    "azurerm_network_interface_security_group_association": (
        Link("network_interface_id", "network_security_group_id", "secured_by"),
    ),
    "azurerm_subnet_network_security_group_association": (
        Link("subnet_id", "network_security_group_id", "secured_by"),
    ),
    "azurerm_network_interface_backend_address_pool_association": (
        Link("backend_address_pool_id", "network_interface_id", "targets"),
    ),
    "azurerm_network_interface_application_security_group_association": (
        Link("network_interface_id", "application_security_group_id", "secured_by"),
    ),
    "azurerm_subnet_nat_gateway_association": (
        Link("subnet_id", "nat_gateway_id", "routes_to"),
    ),
    "azurerm_nat_gateway_public_ip_association": (
        Link("public_ip_address_id", "nat_gateway_id", "attached_to"),
    ),
    "azurerm_virtual_machine_data_disk_attachment": (
        Link("managed_disk_id", "virtual_machine_id", "attached_to"),
    ),
    "azurerm_virtual_network_peering": (
        Link(
            "virtual_network_name",
            "remote_virtual_network_id",
            "peers_with",
            source_names=_VNET,
        ),
    ),
    "google_compute_network_peering": (Link("network", "peer_network", "peers_with"),),
    "google_compute_attached_disk": (Link("disk", "instance", "attached_to"),),
}


def is_link_type(rtype: str) -> bool:
    return rtype in LINKS


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
            found = strings_at(values, ref.path)
            if found:
                self.pending.append(_Pending(resource.id, scope, ref, found))
        container = arm_parent_id(resource.id)
        if container:
            # Last, so an attribute naming the parent wins over the id's shape.
            self.pending.append(_Pending(resource.id, scope, _ARM_PARENT, [container]))
        if rtype == "google_compute_firewall":
            target_tags = strings_at(values, "target_tags")
            if target_tags:
                self.firewall_tags.append((resource.id, scope, target_tags))
        elif rtype == "google_compute_instance":
            for tag in strings_at(values, "tags"):
                self.instance_tags[(scope, tag)].append(resource.id)

    def add_link(self, rtype: str, values: dict[str, Any], scope: str) -> None:
        for link in LINKS.get(rtype, ()):
            sources = strings_at(values, link.source)
            targets = strings_at(values, link.target)
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
    through: list[tuple[Resource, list[str]]] = []
    attached: dict[str, list[str]] = defaultdict(list)
    edges: list[tuple[str, str, str]] = []

    for item in index.pending:
        resource = builder.get(item.source)
        if resource is None:
            continue
        targets = [
            target
            for value in item.values
            if (target := index.resolve(value, item.scope, item.ref.names))
        ]
        if not targets:
            continue
        if item.ref.rel == PARENT:
            if resource.parent is None:
                resource.parent = targets[0]
        elif item.ref.rel == THROUGH:
            through.append((resource, targets))
        else:
            for target in targets:
                pair = (
                    (target, item.source) if item.ref.reverse else (item.source, target)
                )
                edges.append((*pair, item.ref.rel))

    for pending_link in index.links:
        link = pending_link.link
        for value in pending_link.sources:
            source = index.resolve(value, pending_link.scope, link.source_names)
            for target_value in pending_link.targets:
                target = index.resolve(
                    target_value, pending_link.scope, link.target_names
                )
                if source and target:
                    edges.append((source, target, link.rel))

    for source, target, rel in edges:
        if rel == "attached_to":
            attached[source].append(target)
    for resource, targets in through:
        _adopt(resource, targets, builder, attached, edges)

    edges.extend(_firewall_edges(index, builder))
    for source, target, rel in _lift_pool_targets(edges, builder, attached):
        builder.relate(source, target, rel)


def _firewall_edges(
    index: ReferenceIndex, builder: InventoryBuilder
) -> Iterator[tuple[str, str, str]]:
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
    edges: list[tuple[str, str, str]],
) -> None:
    """Give `resource` the parent and attachments of what it goes through."""
    for target in targets:
        middle = builder.get(target)
        if middle is None:
            continue
        if resource.parent is None and middle.parent is not None:
            resource.parent = middle.parent
        if middle.kind == "other":
            # A subnet group: the database sits in its subnets.
            edges.extend((resource.id, end, "attached_to") for end in attached[target])
            edges.append((resource.id, target, "uses"))


def _lift_pool_targets(
    edges: list[tuple[str, str, str]],
    builder: InventoryBuilder,
    attached: dict[str, list[str]],
) -> Iterator[tuple[str, str, str]]:
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
