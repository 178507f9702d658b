"""Which CloudViz kind each Terraform resource type is, and what is not imported.

A type nobody listed is kind `other`, never an error. Three groups of types
never become resources of their own:

- utility providers (`random`, `null`, `tls`, `time`, ...) that create nothing
  in a cloud;
- settings of another resource (an S3 bucket's versioning block, a security
  group rule, an IAM binding): drawing them as boxes would bury the estate;
- link types (attachments, associations, peerings, listeners) that only join
  two resources: they become relationships (see `terraform_refs`).
"""

from __future__ import annotations

import re

_AWS_KINDS = {
    "compute.vm": ("aws_instance", "aws_spot_instance_request"),
    "compute.scale_set": ("aws_autoscaling_group", "aws_eks_node_group"),
    "compute.function": ("aws_lambda_function",),
    "container.cluster": ("aws_ecs_cluster", "aws_eks_cluster"),
    "container.service": ("aws_ecs_service", "aws_apprunner_service"),
    "network.vpc": ("aws_vpc", "aws_default_vpc"),
    "network.subnet": ("aws_subnet", "aws_default_subnet"),
    "network.nic": ("aws_network_interface",),
    "network.security_group": (
        "aws_security_group",
        "aws_default_security_group",
        "aws_network_acl",
        "aws_default_network_acl",
    ),
    "network.load_balancer": ("aws_lb", "aws_alb", "aws_elb"),
    "network.gateway": (
        "aws_internet_gateway",
        "aws_egress_only_internet_gateway",
        "aws_nat_gateway",
        "aws_vpn_gateway",
        "aws_customer_gateway",
        "aws_ec2_transit_gateway",
        "aws_vpc_endpoint",
        "aws_api_gateway_rest_api",
        "aws_apigatewayv2_api",
    ),
    "network.public_ip": ("aws_eip",),
    "network.dns": ("aws_route53_zone", "aws_route53_record"),
    "network.cdn": ("aws_cloudfront_distribution",),
    "storage.bucket": ("aws_s3_bucket",),
    "storage.disk": ("aws_ebs_volume", "aws_efs_file_system"),
    "database.sql": ("aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance"),
    "database.nosql": ("aws_dynamodb_table", "aws_docdb_cluster"),
    "database.cache": ("aws_elasticache_cluster", "aws_elasticache_replication_group"),
    "messaging.queue": ("aws_sqs_queue", "aws_kinesis_stream", "aws_mq_broker"),
    "messaging.topic": ("aws_sns_topic",),
    "security.identity": ("aws_iam_role", "aws_iam_user", "aws_iam_instance_profile"),
    "security.key_vault": ("aws_kms_key", "aws_secretsmanager_secret"),
}

_AZURE_KINDS = {
    "compute.vm": (
        "azurerm_linux_virtual_machine",
        "azurerm_windows_virtual_machine",
        "azurerm_virtual_machine",
    ),
    "compute.scale_set": (
        "azurerm_linux_virtual_machine_scale_set",
        "azurerm_windows_virtual_machine_scale_set",
        "azurerm_orchestrated_virtual_machine_scale_set",
        "azurerm_virtual_machine_scale_set",
        "azurerm_kubernetes_cluster_node_pool",
    ),
    "compute.function": (
        "azurerm_linux_function_app",
        "azurerm_windows_function_app",
        "azurerm_function_app",
        "azurerm_linux_web_app",
        "azurerm_windows_web_app",
        "azurerm_app_service",
    ),
    "container.cluster": ("azurerm_kubernetes_cluster",),
    "container.service": ("azurerm_container_app", "azurerm_container_group"),
    "network.vpc": ("azurerm_virtual_network",),
    "network.subnet": ("azurerm_subnet",),
    "network.nic": ("azurerm_network_interface", "azurerm_private_endpoint"),
    "network.security_group": (
        "azurerm_network_security_group",
        "azurerm_application_security_group",
        "azurerm_firewall",
    ),
    "network.load_balancer": ("azurerm_lb", "azurerm_application_gateway"),
    "network.gateway": (
        "azurerm_nat_gateway",
        "azurerm_virtual_network_gateway",
        "azurerm_bastion_host",
        "azurerm_api_management",
    ),
    "network.public_ip": ("azurerm_public_ip",),
    "network.dns": ("azurerm_dns_zone", "azurerm_private_dns_zone"),
    "network.cdn": ("azurerm_cdn_profile", "azurerm_cdn_frontdoor_profile"),
    "storage.bucket": ("azurerm_storage_account", "azurerm_storage_container"),
    "storage.disk": ("azurerm_managed_disk",),
    "database.sql": (
        "azurerm_mssql_server",
        "azurerm_mssql_database",
        "azurerm_sql_server",
        "azurerm_sql_database",
        "azurerm_postgresql_server",
        "azurerm_postgresql_database",
        "azurerm_postgresql_flexible_server",
        "azurerm_postgresql_flexible_server_database",
        "azurerm_mysql_flexible_server",
        "azurerm_mysql_flexible_database",
    ),
    "database.nosql": ("azurerm_cosmosdb_account",),
    "database.cache": ("azurerm_redis_cache",),
    "messaging.queue": ("azurerm_servicebus_namespace", "azurerm_servicebus_queue"),
    "messaging.topic": (
        "azurerm_servicebus_topic",
        "azurerm_eventhub_namespace",
        "azurerm_eventgrid_topic",
    ),
    "security.identity": ("azurerm_user_assigned_identity",),
    "security.key_vault": ("azurerm_key_vault",),
    "management.group": ("azurerm_resource_group",),
}

_GOOGLE_KINDS = {
    "compute.vm": ("google_compute_instance",),
    "compute.scale_set": (
        "google_compute_instance_group_manager",
        "google_compute_region_instance_group_manager",
        "google_compute_instance_group",
        "google_container_node_pool",
    ),
    "compute.function": (
        "google_cloudfunctions_function",
        "google_cloudfunctions2_function",
    ),
    "container.cluster": ("google_container_cluster",),
    "container.service": ("google_cloud_run_service", "google_cloud_run_v2_service"),
    "network.vpc": ("google_compute_network",),
    "network.subnet": ("google_compute_subnetwork",),
    "network.security_group": ("google_compute_firewall",),
    "network.load_balancer": (
        "google_compute_forwarding_rule",
        "google_compute_global_forwarding_rule",
    ),
    "network.gateway": (
        "google_compute_router",
        "google_compute_router_nat",
        "google_compute_vpn_gateway",
        "google_compute_ha_vpn_gateway",
    ),
    "network.public_ip": ("google_compute_address", "google_compute_global_address"),
    "network.dns": ("google_dns_managed_zone",),
    "storage.bucket": ("google_storage_bucket",),
    "storage.disk": ("google_compute_disk",),
    "database.sql": ("google_sql_database_instance", "google_sql_database"),
    "database.nosql": ("google_bigtable_instance", "google_firestore_database"),
    "database.cache": ("google_redis_instance",),
    "messaging.queue": ("google_pubsub_subscription",),
    "messaging.topic": ("google_pubsub_topic",),
    "security.identity": ("google_service_account",),
    "security.key_vault": ("google_kms_key_ring", "google_secret_manager_secret"),
    "management.group": ("google_project", "google_folder"),
}

TYPE_KINDS: dict[str, str] = {
    rtype: kind
    for table in (_AWS_KINDS, _AZURE_KINDS, _GOOGLE_KINDS)
    for kind, types in table.items()
    for rtype in types
}

# Back-end pools: the load balancer in front of one is said to target what the
# pool holds (see `terraform_refs.lift_pool_targets`).
POOL_TYPES = frozenset(
    (
        "aws_lb_target_group",
        "aws_alb_target_group",
        "azurerm_lb_backend_address_pool",
        "google_compute_backend_service",
        "google_compute_region_backend_service",
        "google_compute_target_pool",
    )
)

# Providers that create nothing in a cloud account.
UTILITY_PROVIDERS = frozenset(
    (
        "random",
        "null",
        "tls",
        "time",
        "local",
        "template",
        "archive",
        "external",
        "http",
        "terraform",
        "cloudinit",
    )
)

_SETTINGS_TYPE = re.compile(
    r"^aws_s3_bucket_.+|^aws_security_group_rule$|^aws_vpc_security_group_\w+_rule$|"
    r"^aws_route$|^aws_iam_(role_)?policy(_attachment)?$|^aws_iam_role_policy\w*|"
    r"^aws_lb_listener_rule$|^aws_lambda_permission$|^aws_cloudwatch_log_group$|"
    r"^azurerm_network_security_rule$|^azurerm_role_assignment$|"
    r"^azurerm_key_vault_(secret|key|certificate|access_policy)$|"
    r"^azurerm_storage_(blob|share_file)$|^google_\w+_iam_(member|binding|policy)$|"
    r"^google_project_service$|^google_secret_manager_secret_version$|"
    r"^aws_secretsmanager_secret_version$"
)


def kind_of(rtype: str) -> str:
    """The CloudViz kind of a Terraform resource type; `other` when unmapped."""
    return TYPE_KINDS.get(rtype, "other")


def is_settings_type(rtype: str) -> bool:
    """True for types that only configure another resource (not drawn)."""
    return bool(_SETTINGS_TYPE.match(rtype))


def provider_of(provider_address: str, rtype: str) -> str:
    """`aws`, `azure`, `gcp` or the short name of another provider.

    Reads `registry.terraform.io/hashicorp/aws`, `provider["registry.../aws"]`
    and aliased forms (`...aws"].west`); falls back on the type's prefix.
    """
    short = ""
    if provider_address:
        quoted = re.search(r'\["([^"]+)"\]', provider_address)
        source = quoted.group(1) if quoted else provider_address
        short = source.rstrip("/").rsplit("/", 1)[-1].removeprefix("provider.")
        short = short.split(".", 1)[0]
    if not short:
        short = rtype.split("_", 1)[0]
    if short == "aws":
        return "aws"
    if short in ("azurerm", "azapi"):
        return "azure"
    if short in ("google", "google-beta"):
        return "gcp"
    return short
