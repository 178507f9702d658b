"""Load balancers: ELBv2 (application, network, gateway) and classic ELBs.

An ELBv2 load balancer `routes_to` its target groups; each group `targets`
its registered members (instances, Lambda functions, other load balancers),
and the load balancer `targets` them too, so a diagram can skip the groups.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.kinds import ec2_arn, partition_of
from cloudviz.sources.aws.scope import Found, Scope, unit

LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
CLASSIC = "AWS::ElasticLoadBalancing::LoadBalancer"
_TAG_BATCH = 20  # DescribeTags takes at most 20 ARNs


@reads("elasticloadbalancing:DescribeLoadBalancers", fallback=[])
def get_load_balancers(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_load_balancers", "LoadBalancers")


@reads("elasticloadbalancing:DescribeTargetGroups", fallback=[])
def get_target_groups(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_target_groups", "TargetGroups")


@reads("elasticloadbalancing:DescribeTargetHealth", fallback=[])
def get_target_health(scope: Scope, group_arn: str) -> list[dict[str, Any]]:
    response = scope.client().describe_target_health(TargetGroupArn=group_arn)
    return list(response["TargetHealthDescriptions"])


@reads("elasticloadbalancing:DescribeTags", fallback={})
def get_tags(scope: Scope, arns: list[str]) -> dict[str, list[dict[str, str]]]:
    tags = {}
    for start in range(0, len(arns), _TAG_BATCH):
        response = scope.client().describe_tags(
            ResourceArns=arns[start : start + _TAG_BATCH]
        )
        for entry in response["TagDescriptions"]:
            tags[entry["ResourceArn"]] = entry.get("Tags", [])
    return tags


def get_elbv2(scope: Scope) -> dict[str, Any]:
    """Load balancers, target groups, their members and tags, in one payload."""
    balancers = get_load_balancers(scope)
    groups = get_target_groups(scope)
    group_arns = [group["TargetGroupArn"] for group in groups]
    health = dict(
        zip(
            group_arns,
            scope.map(lambda arn: get_target_health(scope, arn), group_arns),
            strict=True,
        )
    )
    arns = [lb["LoadBalancerArn"] for lb in balancers]
    arns += [group["TargetGroupArn"] for group in groups]
    return {
        "LoadBalancers": balancers,
        "TargetGroups": groups,
        "TargetHealth": health,
        "Tags": get_tags(scope, arns) if arns else {},
    }


def transform_elbv2(payload: dict[str, Any], account: str, region: str) -> Found:
    found = Found(account, region)
    tags = payload.get("Tags", {})
    for balancer in payload["LoadBalancers"]:
        arn = balancer["LoadBalancerArn"]
        vpc = balancer.get("VpcId")
        found.add(
            LOAD_BALANCER,
            arn,
            balancer["LoadBalancerName"],
            balancer,
            parent=found.ec2("AWS::EC2::VPC", vpc),
            tags=tags.get(arn),
            zones=sorted(
                zone["ZoneName"] for zone in balancer.get("AvailabilityZones", ())
            ),
        )
        found.secured_by(arn, balancer.get("SecurityGroups", ()))

    for group in payload["TargetGroups"]:
        arn = group["TargetGroupArn"]
        vpc = group.get("VpcId")
        members = [
            _target_id(group, description["Target"]["Id"], account, region)
            for description in payload["TargetHealth"].get(arn, ())
        ]
        found.add(
            TARGET_GROUP,
            arn,
            group["TargetGroupName"],
            group,
            parent=found.ec2("AWS::EC2::VPC", vpc),
            tags=tags.get(arn),
            targets=len(members),
        )
        found.relate(arn, members, "targets")
        for balancer in group.get("LoadBalancerArns", ()):
            found.relate(balancer, [arn], "routes_to")
            found.relate(balancer, members, "targets")
    return found


def _target_id(
    group: dict[str, Any], target: str, account: str, region: str
) -> str | None:
    """The id of a registered target; None for bare IP addresses."""
    target_type = group.get("TargetType", "instance")
    if target_type == "instance":
        return ec2_arn("AWS::EC2::Instance", region, account, target)
    if target_type in ("lambda", "alb"):
        return target
    return None


@reads("elasticloadbalancing:DescribeLoadBalancers", fallback=[])
def get_classic_load_balancers(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_load_balancers", "LoadBalancerDescriptions")


def transform_classic_load_balancers(
    balancers: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for balancer in balancers:
        name = balancer["LoadBalancerName"]
        vpc = balancer.get("VPCId")
        arn = found.add(
            CLASSIC,
            f"arn:{partition_of(region)}:elasticloadbalancing:{region}:{account}:"
            f"loadbalancer/{name}",
            name,
            balancer,
            parent=found.ec2("AWS::EC2::VPC", vpc),
            listeners=len(balancer.get("ListenerDescriptions", ())),
        )
        found.secured_by(arn, balancer.get("SecurityGroups", ()))
        found.relate(
            arn,
            (
                ec2_arn("AWS::EC2::Instance", region, account, instance["InstanceId"])
                for instance in balancer.get("Instances", ())
            ),
            "targets",
        )
    return found


UNITS = (
    unit((LOAD_BALANCER, TARGET_GROUP), "elbv2", get_elbv2, transform_elbv2),
    unit(
        CLASSIC,
        "elb",
        get_classic_load_balancers,
        transform_classic_load_balancers,
    ),
)
