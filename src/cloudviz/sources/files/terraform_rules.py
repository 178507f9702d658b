"""Which attributes of each Terraform type name other resources, and how.

`REFS` lists, per resource type, the attributes holding references (ids, ARNs,
self-links or names) and what each means: the containment `parent`, a
relationship type, or `THROUGH` (take the parent and attachments of what is
named, as a database does of its DB subnet group). `LINKS` lists the link-only
types (attachments, associations, peerings, listeners) whose whole purpose is
to join two resources; they become edges, not resources. Adding a type is
adding a line here; `terraform_refs` does the resolving.
"""

from __future__ import annotations

from dataclasses import dataclass

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


SUBNET_GROUP_TYPES = frozenset(("aws_db_subnet_group", "aws_elasticache_subnet_group"))

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
_AWS_LB = (
    Ref("vpc_id", PARENT),
    Ref("subnets", "attached_to"),
    Ref("security_groups", "secured_by"),
)
_AWS_TARGET_GROUP = (
    *_VPC_PARENT,
    Ref("load_balancer_arns", "routes_to", reverse=True),
)
_AWS_RDS = (
    Ref("db_subnet_group_name", THROUGH, names=("aws_db_subnet_group",)),
    Ref("vpc_security_group_ids", "secured_by"),
)
_AWS_CACHE = (
    Ref("subnet_group_name", THROUGH, names=("aws_elasticache_subnet_group",)),
    Ref("security_group_ids", "secured_by"),
)
_AZURE_SCALE_SET = (Ref("network_interface.*.ip_configuration.*.subnet_id", PARENT),)
_AZURE_FUNCTION_APP = (
    Ref("virtual_network_subnet_id", "attached_to"),
    Ref("storage_account_name", "uses", names=("azurerm_storage_account",)),
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
    "aws_lb": _AWS_LB,
    "aws_alb": _AWS_LB,
    "aws_elb": (Ref("subnets", "attached_to"), Ref("instances", "targets")),
    "aws_lb_target_group": _AWS_TARGET_GROUP,
    "aws_alb_target_group": _AWS_TARGET_GROUP,
    "aws_autoscaling_group": (
        Ref("vpc_zone_identifier", "attached_to"),
        Ref("target_group_arns", "targets", reverse=True),
    ),
    "aws_db_subnet_group": (*_VPC_PARENT, Ref("subnet_ids", "attached_to")),
    "aws_elasticache_subnet_group": (*_VPC_PARENT, Ref("subnet_ids", "attached_to")),
    "aws_db_instance": _AWS_RDS,
    "aws_rds_cluster": _AWS_RDS,
    "aws_rds_cluster_instance": (
        Ref("cluster_identifier", PARENT, names=("aws_rds_cluster",)),
    ),
    "aws_elasticache_cluster": _AWS_CACHE,
    "aws_elasticache_replication_group": _AWS_CACHE,
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
    "azurerm_linux_virtual_machine_scale_set": _AZURE_SCALE_SET,
    "azurerm_windows_virtual_machine_scale_set": _AZURE_SCALE_SET,
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
    "azurerm_linux_function_app": _AZURE_FUNCTION_APP,
    "azurerm_windows_function_app": _AZURE_FUNCTION_APP,
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

_TARGET_GROUP_ATTACHMENT = (Link("target_group_arn", "target_id", "targets"),)
_LISTENER = (
    Link("load_balancer_arn", "default_action.*.target_group_arn", "routes_to"),
    Link(
        "load_balancer_arn",
        "default_action.*.forward.*.target_group.*.arn",
        "routes_to",
    ),
)

LINKS: dict[str, tuple[Link, ...]] = {
    "aws_lb_target_group_attachment": _TARGET_GROUP_ATTACHMENT,
    "aws_alb_target_group_attachment": _TARGET_GROUP_ATTACHMENT,
    "aws_lb_listener": _LISTENER,
    "aws_alb_listener": _LISTENER,
    "aws_autoscaling_attachment": (
        Link(
            "lb_target_group_arn",
            "autoscaling_group_name",
            "targets",
            target_names=("aws_autoscaling_group",),
        ),
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
