"""The pure transforms on recorded payloads in the APIs' documented shapes."""

import json
from pathlib import Path

from cloudviz.sources.aws import awslambda, ec2, elb, rds, vpc
from cloudviz.sources.aws.access import probes
from cloudviz.sources.aws.failures import REQUIRED_ACTIONS
from cloudviz.sources.aws.permissions import policy_document
from cloudviz.sources.aws.regions import choose_regions

FIXTURES = Path(__file__).parents[2] / "fixtures" / "aws"
ACCOUNT, REGION = "444455556666", "ap-southeast-2"
EC2 = f"arn:aws:ec2:{REGION}:{ACCOUNT}:"
LB = (
    f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:"
    "loadbalancer/app/payments-api/6d0ecf831eec9f09"
)


def payload(name):
    return json.loads((FIXTURES / name).read_text())


def test_instances():
    reservations = payload("ec2_describe_instances.json")["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]
    found = ec2.transform_instances(instances, ACCOUNT, REGION)
    by_id = {resource.id: resource for resource in found.resources}
    assert set(by_id) == {
        EC2 + "instance/i-0aa11bb22cc33dd44",
        EC2 + "instance/i-0classic00000000a",  # stopped is kept, terminated is not
    }
    api = by_id[EC2 + "instance/i-0aa11bb22cc33dd44"]
    assert (api.name, api.kind, api.zone) == ("api-3", "compute.vm", "ap-southeast-2b")
    assert api.parent == EC2 + "subnet/subnet-0b2b2b2b2b2b2b2b2"
    assert api.tags == {"Name": "api-3", "team": "payments"}
    assert api.properties == {
        "instance_type": "c7g.xlarge",
        "state": "running",
        "private_ip": "10.8.2.44",
        "public_ip": "203.0.113.25",
        "image_id": "ami-0abcdef1234567890",
        "platform": "Linux/UNIX",
    }
    assert "KeyName" not in json.dumps(api.properties)
    assert sorted(found.edges) == [
        (api.id, EC2 + "security-group/sg-0d4d4d4d4d4d4d4d4", "secured_by"),
        (api.id, EC2 + "security-group/sg-0e5e5e5e5e5e5e5e5", "secured_by"),
    ]
    assert by_id[EC2 + "instance/i-0classic00000000a"].parent is None


def test_network_interfaces_skip_the_ones_aws_manages():
    interfaces = payload("ec2_describe_network_interfaces.json")["NetworkInterfaces"]
    found = ec2.transform_network_interfaces(interfaces, ACCOUNT, REGION)
    [nic] = found.resources
    assert nic.id == EC2 + "network-interface/eni-0f6f6f6f6f6f6f6f6"
    assert nic.properties["public_ip"] == "203.0.113.25"
    assert (nic.id, EC2 + "instance/i-0aa11bb22cc33dd44", "attached_to") in found.edges


def test_load_balancers_target_groups_and_members():
    found = elb.transform_elbv2(payload("elbv2_payload.json"), ACCOUNT, REGION)
    by_id = {resource.id: resource for resource in found.resources}
    balancer = by_id[LB]
    assert balancer.parent == EC2 + "vpc/vpc-0c3c3c3c3c3c3c3c3"
    assert balancer.tags == {"env": "prod"}
    assert balancer.properties["zones"] == ["ap-southeast-2a", "ap-southeast-2b"]
    assert balancer.properties["dns_name"].startswith("payments-api-")
    vms = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/payments-vms/"
    vms += "73e2d6bc24d8a067"
    refunds = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:refunds"
    instance = EC2 + "instance/i-0aa11bb22cc33dd44"
    edges = set(found.edges)
    assert (LB, vms, "routes_to") in edges
    assert (vms, instance, "targets") in edges
    assert (LB, instance, "targets") in edges
    assert (LB, refunds, "targets") in edges
    assert not any("10.8.2.99" in target for _, target, _ in edges)  # bare IPs
    ip_group = next(r for r in found.resources if r.name == "payments-ip")
    assert ip_group.properties["targets"] == 1  # counted, not linked


def test_functions_in_a_vpc_and_without_one():
    functions = payload("lambda_list_functions.json")["Functions"]
    found = awslambda.transform_functions(functions, ACCOUNT, REGION)
    refunds, report = found.resources
    # Placed in a subnet for now; the collector lifts it into that subnet's VPC.
    assert refunds.parent == EC2 + "subnet/subnet-0a1a1a1a1a1a1a1a1"
    assert report.parent is None
    assert refunds.properties["runtime"] == "nodejs22.x"
    assert "sk_live" not in json.dumps([r.to_dict() for r in found.resources])
    role = f"arn:aws:iam::{ACCOUNT}:role/refunds-exec"
    assert (refunds.id, role, "uses") in found.edges


def test_database_instances_sit_in_their_cluster_and_place_it():
    instances = payload("rds_describe_db_instances.json")["DBInstances"]
    found = rds.transform_db_instances(instances, ACCOUNT, REGION)
    by_id = {resource.id: resource for resource in found.resources}
    cluster = f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:ledger"
    member = by_id[f"arn:aws:rds:{REGION}:{ACCOUNT}:db:ledger-1"]
    assert member.parent == cluster
    assert by_id[cluster].parent == EC2 + "vpc/vpc-0c3c3c3c3c3c3c3c3"
    assert member.properties["endpoint"].startswith("ledger-1.")
    assert member.tags == {"env": "prod"}
    reports = by_id[f"arn:aws:rds:{REGION}:{ACCOUNT}:db:reports"]
    assert reports.parent == EC2 + "vpc/vpc-0c3c3c3c3c3c3c3c3"
    assert (member.id, EC2 + "security-group/sg-0a0a0a0a0a0a0a0a0", "secured_by") in (
        found.edges
    )


def test_route_tables_route_to_gateways_and_peerings():
    tables = payload("ec2_describe_route_tables.json")["RouteTables"]
    found = vpc.transform_route_tables(tables, ACCOUNT, REGION)
    public = EC2 + "route-table/rtb-0aaa1111bbbb2222c"
    private = EC2 + "route-table/rtb-0ccc3333dddd4444e"
    assert set(found.edges) == {
        (public, EC2 + "internet-gateway/igw-0abab0abab0abab0a", "routes_to"),
        (public, EC2 + "vpc-peering-connection/pcx-0fe1fe1fe1fe1fe1f", "routes_to"),
        (EC2 + "subnet/subnet-0a1a1a1a1a1a1a1a1", public, "routes_to"),
        (private, EC2 + "natgateway/nat-0123456789abcdef0", "routes_to"),
    }
    main = next(r for r in found.resources if r.id == private)
    assert main.properties["main"] is True


def test_cross_account_cross_region_peering():
    connections = payload("ec2_describe_vpc_peering_connections.json")
    found = vpc.transform_vpc_peering_connections(
        connections["VpcPeeringConnections"], ACCOUNT, REGION
    )
    [peering] = found.resources  # the rejected one is left out
    assert peering.name == "payments-to-shared"
    accepter = "arn:aws:ec2:us-west-2:777788889999:vpc/vpc-0d9d9d9d9d9d9d9d9"
    assert (EC2 + "vpc/vpc-0c3c3c3c3c3c3c3c3", accepter, "peers_with") in found.edges


def test_region_choice():
    known = payload("ec2_describe_regions.json")["Regions"]
    regions, skipped = choose_regions(known, ())
    assert regions == [
        "ap-southeast-2",
        "eu-west-1",
        "eu-west-2",
        "me-central-1",
        "us-east-1",
    ]
    regions, skipped = choose_regions(known, ("eu-*", "eu-south-2", "xx-nowhere-1"))
    assert regions == ["eu-west-1", "eu-west-2"]
    reasons = dict(skipped)
    assert reasons["eu-south-2"].startswith("OptInRequired")
    assert "unknown region" in reasons["xx-nowhere-1"]
    # `global` selects IAM roles in the filter; it is not a region to read.
    assert choose_regions(known, ("eu-west-1", "global")) == (["eu-west-1"], [])
    assert choose_regions(known, ("global",)) == ([], [])
    # DescribeRegions denied: trust the names given, drop the globs.
    assert choose_regions(None, ("eu-west-1", "eu-*")) == (["eu-west-1"], [])


def test_the_published_policy_is_the_generated_one():
    document = (FIXTURES.parents[2] / "docs" / "permissions" / "aws.md").read_text()
    published = document.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(published) == policy_document()


def test_provider_test_probes_every_declared_action():
    assert set(probes("eu-west-1", "123456789012")) == REQUIRED_ACTIONS
