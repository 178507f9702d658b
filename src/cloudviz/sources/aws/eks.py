"""EKS clusters, placed in their VPC."""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import Found, Scope, unit

CLUSTER = "AWS::EKS::Cluster"


@reads("eks:ListClusters", fallback=[])
def get_cluster_names(scope: Scope) -> list[str]:
    return scope.paginate("list_clusters", "clusters")


@reads("eks:DescribeCluster", fallback=[])
def get_cluster(scope: Scope, name: str) -> list[dict[str, Any]]:
    return [scope.client().describe_cluster(name=name)["cluster"]]


def get_clusters(scope: Scope) -> list[dict[str, Any]]:
    return scope.each(lambda name: get_cluster(scope, name), get_cluster_names(scope))


def transform_clusters(
    clusters: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for cluster in clusters:
        network = cluster.get("resourcesVpcConfig", {})
        vpc = network.get("vpcId")
        groups = list(network.get("securityGroupIds", ()))
        if network.get("clusterSecurityGroupId"):
            groups.append(network["clusterSecurityGroupId"])
        arn = found.add(
            CLUSTER,
            cluster["arn"],
            cluster["name"],
            cluster,
            parent=found.ec2("AWS::EC2::VPC", vpc),
            tags=cluster.get("tags"),
            subnets=sorted(network.get("subnetIds", ())),
        )
        found.secured_by(arn, groups)
        found.relate(arn, [cluster.get("roleArn")], "uses")
    return found


UNITS = (unit(CLUSTER, "eks", get_clusters, transform_clusters),)
