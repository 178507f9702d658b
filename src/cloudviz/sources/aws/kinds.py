"""AWS resource types (CloudFormation names) mapped to CloudViz kinds and ARNs.

Both the AWS Config importer and the live boto3 collector go through this one
table, so an estate imported from a Config snapshot and the same estate
discovered live get the same `kind`, the same ids and the same property names.

`properties` names the fields a diagram or a reader wants, as paths into the
API's own payload. The live APIs spell them in PascalCase (`InstanceType`),
AWS Config in camelCase (`instanceType`); `pick_properties` accepts both.
Nothing secret is ever listed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class AwsType:
    """How CloudViz reads one AWS resource type."""

    kind: str
    # Resource part of an EC2-style ARN (`vpc` in `...:vpc/vpc-0abc`), for
    # payloads that carry an id but no ARN.
    arn_resource: str | None = None
    properties: dict[str, str] = field(default_factory=dict)


_NETWORK_STATE = {"state": "State"}

AWS_TYPES: dict[str, AwsType] = {
    "AWS::EC2::VPC": AwsType(
        "network.vpc",
        "vpc",
        {"cidr_block": "CidrBlock", "is_default": "IsDefault", **_NETWORK_STATE},
    ),
    "AWS::EC2::Subnet": AwsType(
        "network.subnet",
        "subnet",
        {
            "cidr_block": "CidrBlock",
            "availability_zone": "AvailabilityZone",
            "public_ip_on_launch": "MapPublicIpOnLaunch",
        },
    ),
    "AWS::EC2::SecurityGroup": AwsType(
        "network.security_group",
        "security-group",
        {"group_name": "GroupName", "description": "Description"},
    ),
    "AWS::EC2::NetworkInterface": AwsType(
        "network.nic",
        "network-interface",
        {
            "private_ip": "PrivateIpAddress",
            "public_ip": "Association.PublicIp",
            "interface_type": "InterfaceType",
            "status": "Status",
        },
    ),
    "AWS::EC2::InternetGateway": AwsType("network.gateway", "internet-gateway"),
    "AWS::EC2::NatGateway": AwsType(
        "network.gateway",
        "natgateway",
        {"connectivity_type": "ConnectivityType", **_NETWORK_STATE},
    ),
    "AWS::EC2::TransitGateway": AwsType("network.gateway", "transit-gateway"),
    "AWS::EC2::VPNGateway": AwsType("network.gateway", "vpn-gateway"),
    "AWS::EC2::CustomerGateway": AwsType("network.gateway", "customer-gateway"),
    "AWS::EC2::EgressOnlyInternetGateway": AwsType(
        "network.gateway", "egress-only-internet-gateway"
    ),
    "AWS::EC2::RouteTable": AwsType("other", "route-table"),
    "AWS::EC2::NetworkAcl": AwsType("network.security_group", "network-acl"),
    "AWS::EC2::VPCPeeringConnection": AwsType(
        "other", "vpc-peering-connection", {"status": "Status.Code"}
    ),
    "AWS::EC2::EIP": AwsType("network.public_ip", "elastic-ip", {"ip": "PublicIp"}),
    "AWS::EC2::Instance": AwsType(
        "compute.vm",
        "instance",
        {
            "instance_type": "InstanceType",
            "state": "State.Name",
            "private_ip": "PrivateIpAddress",
            "public_ip": "PublicIpAddress",
            "image_id": "ImageId",
            "platform": "PlatformDetails",
        },
    ),
    "AWS::EC2::Volume": AwsType(
        "storage.disk",
        "volume",
        {"size_gib": "Size", "volume_type": "VolumeType", "encrypted": "Encrypted"},
    ),
    "AWS::AutoScaling::AutoScalingGroup": AwsType(
        "compute.scale_set",
        None,
        {"min_size": "MinSize", "max_size": "MaxSize"},
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": AwsType(
        "network.load_balancer",
        None,
        {
            "type": "Type",
            "scheme": "Scheme",
            "dns_name": "DNSName",
            "state": "State.Code",
        },
    ),
    "AWS::ElasticLoadBalancingV2::TargetGroup": AwsType(
        "other",
        None,
        {"protocol": "Protocol", "port": "Port", "target_type": "TargetType"},
    ),
    "AWS::ElasticLoadBalancing::LoadBalancer": AwsType(
        "network.load_balancer",
        None,
        {"scheme": "Scheme", "dns_name": "DNSName"},
    ),
    "AWS::RDS::DBInstance": AwsType(
        "database.sql",
        None,
        {
            "engine": "Engine",
            "engine_version": "EngineVersion",
            "instance_class": "DBInstanceClass",
            "status": "DBInstanceStatus",
            "multi_az": "MultiAZ",
            "endpoint": "Endpoint.Address",
            "storage_encrypted": "StorageEncrypted",
        },
    ),
    "AWS::RDS::DBCluster": AwsType(
        "database.sql",
        None,
        {
            "engine": "Engine",
            "engine_version": "EngineVersion",
            "status": "Status",
            "endpoint": "Endpoint",
            "storage_encrypted": "StorageEncrypted",
        },
    ),
    "AWS::Lambda::Function": AwsType(
        "compute.function",
        None,
        {
            "runtime": "Runtime",
            "handler": "Handler",
            "memory_mb": "MemorySize",
            "timeout_seconds": "Timeout",
            "package_type": "PackageType",
        },
    ),
    "AWS::S3::Bucket": AwsType("storage.bucket", None, {"created": "CreationDate"}),
    "AWS::DynamoDB::Table": AwsType(
        "database.nosql",
        None,
        {
            "status": "TableStatus",
            "item_count": "ItemCount",
            "billing_mode": "BillingModeSummary.BillingMode",
        },
    ),
    "AWS::ElastiCache::CacheCluster": AwsType(
        "database.cache",
        None,
        {
            "engine": "Engine",
            "engine_version": "EngineVersion",
            "node_type": "CacheNodeType",
            "nodes": "NumCacheNodes",
            "status": "CacheClusterStatus",
        },
    ),
    "AWS::ElastiCache::ReplicationGroup": AwsType("database.cache"),
    "AWS::ECS::Cluster": AwsType(
        "container.cluster",
        None,
        {
            "status": "Status",
            "running_tasks": "RunningTasksCount",
            "services": "ActiveServicesCount",
        },
    ),
    "AWS::ECS::Service": AwsType(
        "container.service",
        None,
        {
            "launch_type": "LaunchType",
            "desired_count": "DesiredCount",
            "running_count": "RunningCount",
            "status": "Status",
        },
    ),
    "AWS::EKS::Cluster": AwsType(
        "container.cluster",
        None,
        {"version": "Version", "status": "Status", "endpoint": "Endpoint"},
    ),
    "AWS::SQS::Queue": AwsType(
        "messaging.queue",
        None,
        {
            "fifo": "FifoQueue",
            "visibility_timeout": "VisibilityTimeout",
            "retention_seconds": "MessageRetentionPeriod",
        },
    ),
    "AWS::SNS::Topic": AwsType(
        "messaging.topic", None, {"subscriptions": "SubscriptionsConfirmed"}
    ),
    "AWS::IAM::Role": AwsType(
        "security.identity",
        None,
        {"path": "Path", "created": "CreateDate", "description": "Description"},
    ),
    "AWS::IAM::User": AwsType("security.identity", None, {"path": "Path"}),
    "AWS::IAM::Group": AwsType("security.identity", None, {"path": "Path"}),
    "AWS::IAM::Policy": AwsType("security.identity"),
    "AWS::KMS::Key": AwsType("security.key_vault"),
    "AWS::SecretsManager::Secret": AwsType("security.key_vault"),
    "AWS::Route53::HostedZone": AwsType("network.dns"),
    "AWS::CloudFront::Distribution": AwsType("network.cdn"),
    "AWS::ApiGateway::RestApi": AwsType("network.gateway"),
    "AWS::ApiGatewayV2::Api": AwsType("network.gateway"),
    "AWS::EFS::FileSystem": AwsType("storage.disk"),
    "AWS::Kinesis::Stream": AwsType("messaging.queue"),
}


def kind_of(aws_type: str) -> str:
    """The CloudViz kind of an AWS type; `other` for types not mapped yet."""
    known = AWS_TYPES.get(aws_type)
    return known.kind if known else "other"


def partition_of(region: str | None) -> str:
    """The ARN partition a region belongs to."""
    if region and region.startswith("cn-"):
        return "aws-cn"
    if region and region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def ec2_arn(aws_type: str, region: str, account: str, resource_id: str) -> str:
    """The ARN of an EC2-family resource that its API names only by id."""
    resource = AWS_TYPES[aws_type].arn_resource
    if resource is None:
        raise KeyError(f"{aws_type} has no EC2-style ARN")
    return f"arn:{partition_of(region)}:ec2:{region}:{account}:{resource}/{resource_id}"


def s3_bucket_arn(name: str, region: str | None = None) -> str:
    return f"arn:{partition_of(region)}:s3:::{name}"


def _lookup(payload: dict[str, Any], key: str) -> Any:
    if key in payload:
        return payload[key]
    # AWS Config lower-cases only the first letter: DBInstanceClass → dBInstanceClass.
    camel = key[:1].lower() + key[1:]
    if camel in payload:
        return payload[camel]
    folded = key.casefold()
    for candidate, value in payload.items():
        if candidate.casefold() == folded:
            return value
    return None


def dig(payload: Any, path: str) -> Any:
    """`payload["State"]["Name"]` for `State.Name`, any key casing; None if absent."""
    value = payload
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = _lookup(value, key)
    return value


def pick_properties(aws_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The listed properties of a payload, skipping the ones that are absent."""
    known = AWS_TYPES.get(aws_type)
    if known is None:
        return {}
    picked = {}
    for name, path in known.properties.items():
        value = dig(payload, path)
        if value is not None and value != "":
            picked[name] = value if _is_plain(value) else str(value)
    return picked


def _is_plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def tags_from(raw: Any) -> dict[str, str]:
    """Tags from a `[{"Key":..,"Value":..}]` list (any casing) or a plain map."""
    if isinstance(raw, dict):
        return {str(key): str(value) for key, value in raw.items()}
    tags: dict[str, str] = {}
    for entry in raw or ():
        if isinstance(entry, dict):
            key = dig(entry, "Key")
            if key is not None:
                value = dig(entry, "Value")
                tags[str(key)] = "" if value is None else str(value)
    return tags
