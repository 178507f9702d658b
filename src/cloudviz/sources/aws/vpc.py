"""VPCs and what shapes them: subnets, security groups, gateways, routes, peering."""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.kinds import ec2_arn
from cloudviz.sources.aws.scope import Found, Scope, name_tag, unit

VPC = "AWS::EC2::VPC"
SUBNET = "AWS::EC2::Subnet"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
INTERNET_GATEWAY = "AWS::EC2::InternetGateway"
NAT_GATEWAY = "AWS::EC2::NatGateway"
ROUTE_TABLE = "AWS::EC2::RouteTable"
PEERING = "AWS::EC2::VPCPeeringConnection"

# Route targets worth an edge, by the route field naming them.
_ROUTE_TARGETS = {
    "GatewayId": {"igw-": INTERNET_GATEWAY, "vgw-": "AWS::EC2::VPNGateway"},
    "NatGatewayId": {"nat-": NAT_GATEWAY},
    "TransitGatewayId": {"tgw-": "AWS::EC2::TransitGateway"},
    "VpcPeeringConnectionId": {"pcx-": PEERING},
    "EgressOnlyInternetGatewayId": {"eigw-": "AWS::EC2::EgressOnlyInternetGateway"},
}


@reads("ec2:DescribeVpcs", fallback=[])
def get_vpcs(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_vpcs", "Vpcs")


def transform_vpcs(vpcs: list[dict[str, Any]], account: str, region: str) -> Found:
    found = Found(account, region)
    for vpc in vpcs:
        found.add(
            VPC,
            ec2_arn(VPC, region, account, vpc["VpcId"]),
            name_tag(vpc.get("Tags"), vpc["VpcId"]),
            vpc,
            tags=vpc.get("Tags"),
        )
    return found


@reads("ec2:DescribeSubnets", fallback=[])
def get_subnets(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_subnets", "Subnets")


def transform_subnets(
    subnets: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for subnet in subnets:
        found.add(
            SUBNET,
            ec2_arn(SUBNET, region, account, subnet["SubnetId"]),
            name_tag(subnet.get("Tags"), subnet["SubnetId"]),
            subnet,
            parent=ec2_arn(VPC, region, account, subnet["VpcId"]),
            zone=subnet.get("AvailabilityZone"),
            tags=subnet.get("Tags"),
        )
    return found


@reads("ec2:DescribeSecurityGroups", fallback=[])
def get_security_groups(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_security_groups", "SecurityGroups")


def transform_security_groups(
    groups: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for group in groups:
        vpc = group.get("VpcId")
        found.add(
            SECURITY_GROUP,
            ec2_arn(SECURITY_GROUP, region, account, group["GroupId"]),
            group["GroupName"],
            group,
            parent=ec2_arn(VPC, region, account, vpc) if vpc else None,
            tags=group.get("Tags"),
            ingress_rules=len(group.get("IpPermissions", ())),
            egress_rules=len(group.get("IpPermissionsEgress", ())),
        )
    return found


@reads("ec2:DescribeInternetGateways", fallback=[])
def get_internet_gateways(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_internet_gateways", "InternetGateways")


def transform_internet_gateways(
    gateways: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for gateway in gateways:
        vpcs = [
            ec2_arn(VPC, region, account, attachment["VpcId"])
            for attachment in gateway.get("Attachments", ())
        ]
        arn = found.add(
            INTERNET_GATEWAY,
            ec2_arn(INTERNET_GATEWAY, region, account, gateway["InternetGatewayId"]),
            name_tag(gateway.get("Tags"), gateway["InternetGatewayId"]),
            gateway,
            parent=vpcs[0] if vpcs else None,
            tags=gateway.get("Tags"),
        )
        found.relate(arn, vpcs, "attached_to")
    return found


@reads("ec2:DescribeNatGateways", fallback=[])
def get_nat_gateways(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_nat_gateways", "NatGateways")


def transform_nat_gateways(
    gateways: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for gateway in gateways:
        if gateway.get("State") in ("deleted", "deleting", "failed"):
            continue
        public_ips = [
            address["PublicIp"]
            for address in gateway.get("NatGatewayAddresses", ())
            if address.get("PublicIp")
        ]
        found.add(
            NAT_GATEWAY,
            ec2_arn(NAT_GATEWAY, region, account, gateway["NatGatewayId"]),
            name_tag(gateway.get("Tags"), gateway["NatGatewayId"]),
            gateway,
            parent=ec2_arn(SUBNET, region, account, gateway["SubnetId"]),
            tags=gateway.get("Tags"),
            public_ips=public_ips,
        )
    return found


@reads("ec2:DescribeRouteTables", fallback=[])
def get_route_tables(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_route_tables", "RouteTables")


def transform_route_tables(
    tables: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for table in tables:
        arn = found.add(
            ROUTE_TABLE,
            ec2_arn(ROUTE_TABLE, region, account, table["RouteTableId"]),
            name_tag(table.get("Tags"), table["RouteTableId"]),
            table,
            parent=ec2_arn(VPC, region, account, table["VpcId"]),
            tags=table.get("Tags"),
            routes=len(table.get("Routes", ())),
            main=any(a.get("Main") for a in table.get("Associations", ())),
        )
        found.relate(arn, _route_targets(table, account, region), "routes_to")
        for association in table.get("Associations", ()):
            subnet = association.get("SubnetId")
            if subnet:
                found.relate(
                    ec2_arn(SUBNET, region, account, subnet), [arn], "routes_to"
                )
    return found


def _route_targets(table: dict[str, Any], account: str, region: str) -> list[str]:
    targets = []
    for route in table.get("Routes", ()):
        for field, prefixes in _ROUTE_TARGETS.items():
            target = route.get(field)
            for prefix, aws_type in prefixes.items():
                if target and target.startswith(prefix):
                    targets.append(ec2_arn(aws_type, region, account, target))
    return targets


@reads("ec2:DescribeVpcPeeringConnections", fallback=[])
def get_vpc_peering_connections(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("describe_vpc_peering_connections", "VpcPeeringConnections")


def transform_vpc_peering_connections(
    connections: list[dict[str, Any]], account: str, region: str
) -> Found:
    """Peerings as resources plus a `peers_with` edge between the two VPCs.

    A cross-region peering is listed in both regions; its id is built from the
    requester's region either way, so the two sightings merge into one.
    """
    found = Found(account, region)
    for connection in connections:
        if connection["Status"]["Code"] not in ("active", "provisioning"):
            continue
        requester = _peer_vpc(connection["RequesterVpcInfo"], account, region)
        accepter = _peer_vpc(connection["AccepterVpcInfo"], account, region)
        home = connection["RequesterVpcInfo"].get("Region") or region
        arn = found.add(
            PEERING,
            ec2_arn(PEERING, home, account, connection["VpcPeeringConnectionId"]),
            name_tag(connection.get("Tags"), connection["VpcPeeringConnectionId"]),
            connection,
            tags=connection.get("Tags"),
            region=home,
        )
        found.relate(requester, [accepter], "peers_with")
        found.relate(arn, [requester, accepter], "attached_to")
    return found


def _peer_vpc(info: dict[str, Any], account: str, region: str) -> str:
    return ec2_arn(
        VPC, info.get("Region") or region, info.get("OwnerId") or account, info["VpcId"]
    )


UNITS = (
    unit(VPC, "ec2", get_vpcs, transform_vpcs),
    unit(SUBNET, "ec2", get_subnets, transform_subnets),
    unit(SECURITY_GROUP, "ec2", get_security_groups, transform_security_groups),
    unit(INTERNET_GATEWAY, "ec2", get_internet_gateways, transform_internet_gateways),
    unit(NAT_GATEWAY, "ec2", get_nat_gateways, transform_nat_gateways),
    unit(ROUTE_TABLE, "ec2", get_route_tables, transform_route_tables),
    unit(
        PEERING,
        "ec2",
        get_vpc_peering_connections,
        transform_vpc_peering_connections,
    ),
)
