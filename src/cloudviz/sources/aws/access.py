"""`cloudviz provider test aws`: the credentials, then every permission.

Each IAM action extraction calls is tried once with the cheapest request that
exercises it, in the first requested region (or the profile's region). Calls
that need a resource name are made against a name that does not exist: AWS
checks the permission first, so "not found" means "allowed".
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cloudviz.config import AwsSettings
from cloudviz.errors import ProviderError
from cloudviz.sources.aws.failures import (
    ACCESS_DENIED,
    POLICY_DOC,
    describe_failure,
    error_code,
)
from cloudviz.sources.aws.session import AwsAccount, CallCounter, open_accounts
from cloudviz.sources.live import AccessCheck, AccessReport, ExtractRequest

PROBE_NAME = "cloudviz-permission-probe"
_NOT_FOUND = frozenset(
    {
        "TargetGroupNotFound",
        "LoadBalancerNotFound",
        "ResourceNotFoundException",
        "ClusterNotFoundException",
        "ServiceNotFoundException",
        "QueueDoesNotExist",
        "AWS.SimpleQueueService.NonExistentQueue",
        "NoSuchBucket",
        "ValidationError",
    }
)


@dataclass(frozen=True)
class Probe:
    service: str
    method: str
    params: dict[str, Any] = field(default_factory=dict)


def _fake_arn(service: str, resource: str, region: str, account: str) -> str:
    return f"arn:aws:{service}:{region}:{account}:{resource}"


def probes(region: str, account: str) -> dict[str, Probe]:
    """One cheap call per IAM action the collectors declare."""
    target_group = _fake_arn(
        "elasticloadbalancing", f"targetgroup/{PROBE_NAME}/0", region, account
    )
    balancer = _fake_arn(
        "elasticloadbalancing", f"loadbalancer/app/{PROBE_NAME}/0", region, account
    )
    queue = f"https://sqs.{region}.amazonaws.com/{account}/{PROBE_NAME}"
    page = {"MaxResults": 5}
    return {
        "ec2:DescribeRegions": Probe("ec2", "describe_regions"),
        "ec2:DescribeInstances": Probe("ec2", "describe_instances", page),
        "ec2:DescribeNetworkInterfaces": Probe(
            "ec2", "describe_network_interfaces", page
        ),
        "ec2:DescribeVpcs": Probe("ec2", "describe_vpcs", page),
        "ec2:DescribeSubnets": Probe("ec2", "describe_subnets", page),
        "ec2:DescribeSecurityGroups": Probe("ec2", "describe_security_groups", page),
        "ec2:DescribeInternetGateways": Probe(
            "ec2", "describe_internet_gateways", page
        ),
        "ec2:DescribeNatGateways": Probe("ec2", "describe_nat_gateways", page),
        "ec2:DescribeRouteTables": Probe("ec2", "describe_route_tables", page),
        "ec2:DescribeVpcPeeringConnections": Probe(
            "ec2", "describe_vpc_peering_connections", page
        ),
        "elasticloadbalancing:DescribeLoadBalancers": Probe(
            "elbv2", "describe_load_balancers", {"PageSize": 1}
        ),
        "elasticloadbalancing:DescribeTargetGroups": Probe(
            "elbv2", "describe_target_groups", {"PageSize": 1}
        ),
        "elasticloadbalancing:DescribeTargetHealth": Probe(
            "elbv2", "describe_target_health", {"TargetGroupArn": target_group}
        ),
        "elasticloadbalancing:DescribeTags": Probe(
            "elbv2", "describe_tags", {"ResourceArns": [balancer]}
        ),
        "rds:DescribeDBInstances": Probe(
            "rds", "describe_db_instances", {"MaxRecords": 20}
        ),
        "rds:DescribeDBClusters": Probe(
            "rds", "describe_db_clusters", {"MaxRecords": 20}
        ),
        "lambda:ListFunctions": Probe("lambda", "list_functions", {"MaxItems": 1}),
        "dynamodb:ListTables": Probe("dynamodb", "list_tables", {"Limit": 1}),
        "dynamodb:DescribeTable": Probe(
            "dynamodb", "describe_table", {"TableName": PROBE_NAME}
        ),
        "elasticache:DescribeCacheClusters": Probe(
            "elasticache", "describe_cache_clusters", {"MaxRecords": 20}
        ),
        "ecs:ListClusters": Probe("ecs", "list_clusters", {"maxResults": 1}),
        "ecs:DescribeClusters": Probe(
            "ecs", "describe_clusters", {"clusters": [PROBE_NAME]}
        ),
        "ecs:ListServices": Probe("ecs", "list_services", {"cluster": PROBE_NAME}),
        "ecs:DescribeServices": Probe(
            "ecs",
            "describe_services",
            {"cluster": PROBE_NAME, "services": [PROBE_NAME]},
        ),
        "eks:ListClusters": Probe("eks", "list_clusters", {"maxResults": 1}),
        "eks:DescribeCluster": Probe("eks", "describe_cluster", {"name": PROBE_NAME}),
        "sqs:ListQueues": Probe("sqs", "list_queues", {"MaxResults": 1}),
        "sqs:GetQueueAttributes": Probe(
            "sqs", "get_queue_attributes", {"QueueUrl": queue}
        ),
        "sns:ListTopics": Probe("sns", "list_topics"),
        "sns:ListSubscriptions": Probe("sns", "list_subscriptions"),
        "s3:ListAllMyBuckets": Probe("s3", "list_buckets", {"MaxBuckets": 1}),
        "s3:GetBucketLocation": Probe(
            "s3", "get_bucket_location", {"Bucket": PROBE_NAME}
        ),
        "iam:ListRoles": Probe("iam", "list_roles", {"MaxItems": 1}),
    }


def check_aws_access(request: ExtractRequest, settings: AwsSettings) -> AccessReport:
    """The credentials of each account, then one probe per IAM action."""
    report = AccessReport("aws")
    counter = CallCounter()
    try:
        accounts = open_accounts(request.profiles, request.role_arns, settings, counter)
    except ProviderError as error:
        report.checks.append(_credentials_check("credentials", error))
        return report

    several = len(accounts) > 1
    identities = []
    for account in accounts:
        prefix = f"{account.label}: " if several else ""
        try:
            account.identify()
        except ProviderError as error:
            report.checks.append(_credentials_check(f"{prefix}credentials", error))
            continue
        identities.append(account.identity_arn)
        report.checks.append(
            AccessCheck(f"{prefix}credentials", True, f"account {account.account_id}")
        )
        region = _probe_region(account, request, settings)
        report.checks += _probe_account(account, region, prefix, settings.max_workers)
    report.identity = ", ".join(identities) or None
    return report


def _credentials_check(name: str, error: ProviderError) -> AccessCheck:
    return AccessCheck(name, False, error.message, error.hint or "")


def _probe_region(
    account: AwsAccount, request: ExtractRequest, settings: AwsSettings
) -> str:
    for region in (*request.regions, *settings.regions):
        if not any(char in region for char in "*?["):
            return region
    return account.home_region


def _probe_account(
    account: AwsAccount, region: str, prefix: str, workers: int
) -> list[AccessCheck]:
    planned = probes(region, account.account_id)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(
            lambda item: _probe(account, region, prefix, *item), planned.items()
        )
        return sorted(results, key=lambda check: check.name)


def _probe(
    account: AwsAccount, region: str, prefix: str, action: str, probe: Probe
) -> AccessCheck:
    name = f"{prefix}{action}"
    remedy = f"grant {action} to the identity (the full policy is in {POLICY_DOC})"
    try:
        client = account.client(probe.service, region)
        getattr(client, probe.method)(**probe.params)
    except ClientError as error:
        code = error_code(error)
        if code in _NOT_FOUND:
            return AccessCheck(name, True, f"in {region}")
        if code in ACCESS_DENIED:
            return AccessCheck(name, False, f"{code} in {region}", remedy)
        return AccessCheck(name, False, describe_failure(error, (action,)), remedy)
    except BotoCoreError as error:
        return AccessCheck(name, False, describe_failure(error, (action,)), remedy)
    return AccessCheck(name, True, f"in {region}")
