"""ECS clusters and their services.

Services sit in their cluster; a service in awsvpc mode is `secured_by` its
security groups, and the target groups that front it `targets` it.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import Found, Scope, unit

CLUSTER = "AWS::ECS::Cluster"
SERVICE = "AWS::ECS::Service"
_DESCRIBE_BATCH = 10  # DescribeServices takes at most 10 services


@reads("ecs:ListClusters", fallback=[])
def get_cluster_arns(scope: Scope) -> list[str]:
    return scope.paginate("list_clusters", "clusterArns")


@reads("ecs:DescribeClusters", fallback=[])
def get_cluster_details(scope: Scope, arns: list[str]) -> list[dict[str, Any]]:
    clusters: list[dict[str, Any]] = []
    for start in range(0, len(arns), 100):
        response = scope.client().describe_clusters(
            clusters=arns[start : start + 100], include=["TAGS"]
        )
        clusters.extend(response["clusters"])
    return clusters


@reads("ecs:ListServices", "ecs:DescribeServices", fallback=[])
def get_services(scope: Scope, cluster: str) -> list[dict[str, Any]]:
    arns = scope.paginate("list_services", "serviceArns", cluster=cluster)
    services: list[dict[str, Any]] = []
    for start in range(0, len(arns), _DESCRIBE_BATCH):
        response = scope.client().describe_services(
            cluster=cluster, services=arns[start : start + _DESCRIBE_BATCH]
        )
        services.extend(response["services"])
    return services


def get_clusters(scope: Scope) -> list[dict[str, Any]]:
    """Each cluster with its services under `services`."""
    arns = get_cluster_arns(scope)
    clusters = get_cluster_details(scope, arns) if arns else []
    services = scope.map(
        lambda cluster: get_services(scope, cluster["clusterArn"]), clusters
    )
    for cluster, members in zip(clusters, services, strict=True):
        cluster["services"] = members
    return clusters


def transform_clusters(
    clusters: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for cluster in clusters:
        cluster_arn = found.add(
            CLUSTER,
            cluster["clusterArn"],
            cluster["clusterName"],
            cluster,
            tags=cluster.get("tags"),
        )
        for service in cluster.get("services", ()):
            _add_service(found, service, cluster_arn, account, region)
    return found


def _add_service(
    found: Found, service: dict[str, Any], cluster: str, account: str, region: str
) -> None:
    network = service.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
    arn = found.add(
        SERVICE,
        service["serviceArn"],
        service["serviceName"],
        service,
        parent=cluster,
        tags=service.get("tags"),
        subnets=sorted(network.get("subnets", ())),
    )
    found.secured_by(arn, network.get("securityGroups", ()))
    for balancer in service.get("loadBalancers", ()):
        found.relate(balancer.get("targetGroupArn"), [arn], "targets")
    found.relate(arn, [service.get("roleArn")], "uses")


UNITS = (unit((CLUSTER, SERVICE), "ecs", get_clusters, transform_clusters),)
