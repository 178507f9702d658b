"""EC2 instances and their network interfaces.

User data, key material and instance metadata options are never read: the
describe calls used here do not return them, and only the properties listed
in the shared type table are kept.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.kinds import ec2_arn
from cloudviz.sources.aws.scope import Found, Scope, name_tag, unit

INSTANCE = "AWS::EC2::Instance"
NIC = "AWS::EC2::NetworkInterface"

# Interfaces AWS manages for other services (load balancers, Lambda, RDS, NAT)
# are drawn as those services, not as loose NICs.
_SERVICE_MANAGED = frozenset(
    {
        "network_load_balancer",
        "gateway_load_balancer",
        "nat_gateway",
        "lambda",
        "vpc_endpoint",
        "transit_gateway",
    }
)


@reads("ec2:DescribeInstances", fallback=[])
def get_instances(scope: Scope) -> list[dict[str, Any]]:
    reservations = scope.paginate("describe_instances", "Reservations")
    return [
        instance
        for reservation in reservations
        for instance in reservation.get("Instances", ())
    ]


def transform_instances(
    instances: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for instance in instances:
        if instance["State"]["Name"] == "terminated":
            continue
        arn = ec2_arn(INSTANCE, region, account, instance["InstanceId"])
        subnet = instance.get("SubnetId")
        found.add(
            INSTANCE,
            arn,
            name_tag(instance.get("Tags"), instance["InstanceId"]),
            instance,
            parent=ec2_arn("AWS::EC2::Subnet", region, account, subnet)
            if subnet
            else None,
            zone=instance.get("Placement", {}).get("AvailabilityZone"),
            tags=instance.get("Tags"),
        )
        found.secured_by(
            arn, (group["GroupId"] for group in instance.get("SecurityGroups", ()))
        )
    return found


@reads("ec2:DescribeNetworkInterfaces", fallback=[])
def get_network_interfaces(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_network_interfaces", "NetworkInterfaces")


def transform_network_interfaces(
    interfaces: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for nic in interfaces:
        if nic.get("InterfaceType") in _SERVICE_MANAGED or nic.get("RequesterManaged"):
            continue
        arn = ec2_arn(NIC, region, account, nic["NetworkInterfaceId"])
        found.add(
            NIC,
            arn,
            name_tag(nic.get("TagSet"), nic["NetworkInterfaceId"]),
            nic,
            parent=ec2_arn("AWS::EC2::Subnet", region, account, nic["SubnetId"]),
            zone=nic.get("AvailabilityZone"),
            tags=nic.get("TagSet"),
            description=nic.get("Description"),
        )
        found.secured_by(arn, (group["GroupId"] for group in nic.get("Groups", ())))
        instance = nic.get("Attachment", {}).get("InstanceId")
        if instance:
            found.relate(
                arn, [ec2_arn(INSTANCE, region, account, instance)], "attached_to"
            )
    return found


UNITS = (
    unit(INSTANCE, "ec2", get_instances, transform_instances),
    unit(
        NIC,
        "ec2",
        get_network_interfaces,
        transform_network_interfaces,
    ),
)
