"""RDS database instances and Aurora clusters.

The master password is never returned by these calls and never kept; only
the properties in the shared type table are.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.kinds import partition_of
from cloudviz.sources.aws.scope import Found, Scope, unit

INSTANCE = "AWS::RDS::DBInstance"
CLUSTER = "AWS::RDS::DBCluster"


@reads("rds:DescribeDBInstances", fallback=[])
def get_db_instances(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_db_instances", "DBInstances")


def transform_db_instances(
    instances: list[dict[str, Any]], account: str, region: str
) -> Found:
    """Instances sit in their cluster when they have one, else in their VPC."""
    found = Found(account, region)
    for instance in instances:
        cluster = instance.get("DBClusterIdentifier")
        vpc = instance.get("DBSubnetGroup", {}).get("VpcId")
        vpc_arn = found.ec2("AWS::EC2::VPC", vpc)
        parent = vpc_arn
        if cluster:
            # DescribeDBClusters does not say which VPC a cluster is in; its
            # members do. This partial record merges into the cluster's own.
            parent = found.add(
                CLUSTER,
                f"arn:{partition_of(region)}:rds:{region}:{account}:cluster:{cluster}",
                cluster,
                {},
                parent=vpc_arn,
            )
        arn = found.add(
            INSTANCE,
            instance["DBInstanceArn"],
            instance["DBInstanceIdentifier"],
            instance,
            parent=parent,
            zone=instance.get("AvailabilityZone"),
            tags=instance.get("TagList"),
        )
        found.secured_by(arn, _security_groups(instance))
    return found


@reads("rds:DescribeDBClusters", fallback=[])
def get_db_clusters(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_db_clusters", "DBClusters")


def transform_db_clusters(
    clusters: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for cluster in clusters:
        arn = found.add(
            CLUSTER,
            cluster["DBClusterArn"],
            cluster["DBClusterIdentifier"],
            cluster,
            tags=cluster.get("TagList"),
            members=len(cluster.get("DBClusterMembers", ())),
        )
        found.secured_by(arn, _security_groups(cluster))
    return found


def _security_groups(database: dict[str, Any]) -> list[str]:
    return [
        group["VpcSecurityGroupId"] for group in database.get("VpcSecurityGroups", ())
    ]


UNITS = (
    unit(INSTANCE, "rds", get_db_instances, transform_db_instances),
    unit(CLUSTER, "rds", get_db_clusters, transform_db_clusters),
)
