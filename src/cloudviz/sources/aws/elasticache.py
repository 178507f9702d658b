"""ElastiCache clusters (Redis, Valkey and Memcached nodes groups)."""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import Found, Scope, unit

CLUSTER = "AWS::ElastiCache::CacheCluster"


@reads("elasticache:DescribeCacheClusters", fallback=[])
def get_cache_clusters(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_cache_clusters", "CacheClusters")


def transform_cache_clusters(
    clusters: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for cluster in clusters:
        arn = found.add(
            CLUSTER,
            cluster["ARN"],
            cluster["CacheClusterId"],
            cluster,
            zone=cluster.get("PreferredAvailabilityZone"),
            replication_group=cluster.get("ReplicationGroupId"),
        )
        found.secured_by(
            arn,
            (group["SecurityGroupId"] for group in cluster.get("SecurityGroups", ())),
        )
    return found


UNITS = (unit(CLUSTER, "elasticache", get_cache_clusters, transform_cache_clusters),)
