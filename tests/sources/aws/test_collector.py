"""Live discovery through boto3 against a moto server on 127.0.0.1."""

import json

import pytest

from cloudviz.config import Settings
from cloudviz.inventory.filters import ResourceFilter
from cloudviz.sources.aws.failures import REQUIRED_ACTIONS
from cloudviz.sources.aws.permissions import iam_action
from cloudviz.sources.live import ExtractRequest, extract_inventory
from tests.sources.aws.conftest import REGIONS
from tests.sources.aws.moto_estate import ACCOUNT, SECRET_ENV_VALUE, SECRET_PASSWORD


def ec2_arn(region, kind, resource_id):
    return f"arn:aws:ec2:{region}:{ACCOUNT}:{kind}/{resource_id}"


@pytest.fixture(scope="module")
def inventory(estate):
    return extract_inventory(ExtractRequest("aws", regions=tuple(REGIONS)), Settings())


@pytest.fixture(scope="module")
def edges(inventory):
    return {(rel.source, rel.target, rel.type) for rel in inventory.relationships}


def test_every_family_is_found_in_both_regions(inventory):
    found = {(res.type, res.region) for res in inventory.resources}
    for region in REGIONS:
        for aws_type in (
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::Instance",
            "AWS::EC2::NetworkInterface",
            "AWS::EC2::InternetGateway",
            "AWS::EC2::NatGateway",
            "AWS::EC2::RouteTable",
            "AWS::EC2::VPCPeeringConnection",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::RDS::DBInstance",
            "AWS::Lambda::Function",
            "AWS::S3::Bucket",
            "AWS::DynamoDB::Table",
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::ECS::Cluster",
            "AWS::ECS::Service",
            "AWS::EKS::Cluster",
            "AWS::ElastiCache::CacheCluster",
            "AWS::ElasticLoadBalancing::LoadBalancer",
        ):
            assert (aws_type, region) in found, (aws_type, region)
    assert ("AWS::IAM::Role", "global") in found
    assert not inventory.errors


def test_kinds_and_parents(inventory, estate):
    by_id = inventory.by_id()
    for region, shop in estate.items():
        vpc = ec2_arn(region, "vpc", shop.vpc)
        subnet = ec2_arn(region, "subnet", shop.subnets[0])
        instance = by_id[ec2_arn(region, "instance", shop.instances[0])]
        assert (instance.kind, instance.parent) == ("compute.vm", subnet)
        assert instance.properties["instance_type"] == "t3.small"
        assert instance.tags == {"env": "prod"}
        assert by_id[subnet].parent == vpc
        assert by_id[ec2_arn(region, "security-group", shop.web_sg)].parent == vpc
        assert by_id[shop.load_balancer].parent == vpc
        assert by_id[shop.load_balancer].kind == "network.load_balancer"
        assert by_id[shop.function_arn].parent == vpc  # from its VpcConfig
        assert by_id[shop.function_arn].kind == "compute.function"
        database = next(
            r
            for r in inventory.resources
            if r.name.endswith(f"-{REGIONS.index(region) + 1}")
            and r.type == "AWS::RDS::DBInstance"
        )
        assert (database.kind, database.parent) == ("database.sql", vpc)
        bucket = by_id[f"arn:aws:s3:::shop-assets-{region}"]
        assert (bucket.kind, bucket.region) == ("storage.bucket", region)


def test_relationships(inventory, estate, edges):
    role = f"arn:aws:iam::{ACCOUNT}:role/thumbnailer"
    for region, shop in estate.items():
        web_sg = ec2_arn(region, "security-group", shop.web_sg)
        instances = [ec2_arn(region, "instance", i) for i in shop.instances]
        assert (instances[0], web_sg, "secured_by") in edges
        assert (shop.load_balancer, web_sg, "secured_by") in edges
        assert (shop.load_balancer, shop.target_group, "routes_to") in edges
        for instance in instances:
            assert (shop.target_group, instance, "targets") in edges
            assert (shop.load_balancer, instance, "targets") in edges
        eni = ec2_arn(region, "network-interface", shop.extra_eni)
        assert (eni, instances[0], "attached_to") in edges
        assert (
            ec2_arn(region, "vpc", shop.vpc),
            ec2_arn(region, "vpc", shop.peer_vpc),
            "peers_with",
        ) in edges
        assert (shop.function_arn, role, "uses") in edges
        assert (shop.function_arn, web_sg, "secured_by") in edges
        assert (
            ec2_arn(region, "subnet", shop.subnets[0]),
            next(
                t
                for s, t, k in edges
                if s == ec2_arn(region, "subnet", shop.subnets[0]) and k == "routes_to"
            ),
            "routes_to",
        ) in edges
    kinds = {kind for _, _, kind in edges}
    assert {"uses", "routes_to"} <= kinds
    queue_to_dlq = [
        (s, t) for s, t, k in edges if k == "uses" and ":sqs:" in s and "dlq" in t
    ]
    assert len(queue_to_dlq) == len(REGIONS)
    topic_to_queue = [(s, t) for s, t, k in edges if ":sns:" in s and k == "routes_to"]
    assert len(topic_to_queue) == len(REGIONS)


def test_api_calls_are_counted_per_operation(inventory):
    detail = inventory.source_detail
    by_operation = detail["api_calls_by_operation"]
    assert detail["api_calls"] == sum(by_operation.values())
    assert by_operation["ec2.DescribeRegions"] == 1
    assert by_operation["sts.GetCallerIdentity"] == 1
    assert by_operation["ec2.DescribeInstances"] == len(REGIONS)
    assert by_operation["s3.ListBuckets"] == 1  # global: once per account
    assert by_operation["s3.GetBucketLocation"] == len(REGIONS)
    assert by_operation["elbv2.DescribeTargetHealth"] == len(REGIONS)  # one group each
    assert detail["duration_seconds"] > 0
    assert detail["regions"] == sorted(REGIONS)
    assert detail["accounts"] == [ACCOUNT]


def test_the_policy_lists_exactly_the_actions_called(inventory):
    called = {
        iam_action(operation)
        for operation in inventory.source_detail["api_calls_by_operation"]
    }
    called.discard("sts:GetCallerIdentity")  # needs no permission
    assert called == REQUIRED_ACTIONS


def test_nothing_secret_is_kept(inventory):
    text = json.dumps(inventory.to_dict())
    assert SECRET_PASSWORD not in text
    assert SECRET_ENV_VALUE not in text
    assert "user-data-secret" not in text
    assert "testing" not in text  # the access key


class RecordingProgress:
    def __init__(self):
        self.events = []

    def begin(self, task, total):
        self.events.append(("begin", total))

    def advance(self, amount=1):
        self.events.append(("advance", amount))

    def end(self):
        self.events.append(("end", None))


def test_region_globs_select_enabled_regions(estate):
    progress = RecordingProgress()
    inventory = extract_inventory(
        ExtractRequest("aws", regions=("eu-west-*",)), Settings(), progress
    )
    begin, *advances, end = progress.events
    assert begin[0] == "begin" and end == ("end", None)
    assert len(advances) == begin[1]  # one step per region × service task
    regions = {res.region for res in inventory.resources}
    assert "eu-west-1" in regions
    assert "us-east-1" not in regions - {"global"} or all(
        res.type == "AWS::S3::Bucket"
        for res in inventory.resources
        if res.region == "us-east-1"
    )


def test_unknown_region_is_an_error_not_a_crash(estate):
    inventory = extract_inventory(
        ExtractRequest("aws", regions=("eu-west-1", "mars-north-1")), Settings()
    )
    messages = {error.scope: error.message for error in inventory.errors}
    assert "mars-north-1" in messages
    assert "unknown region" in messages["mars-north-1"]
    assert any(res.region == "eu-west-1" for res in inventory.resources)


def test_kind_and_type_filters_skip_families_that_cannot_match(estate):
    criteria = ResourceFilter(kinds=("network.vpc", "storage.*"))
    inventory = extract_inventory(
        ExtractRequest("aws", regions=("eu-west-1",), filter=criteria), Settings()
    )
    calls = inventory.source_detail["api_calls_by_operation"]
    assert set(calls) == {
        "sts.GetCallerIdentity",
        "ec2.DescribeRegions",
        "ec2.DescribeVpcs",
        "s3.ListBuckets",
        "s3.GetBucketLocation",
    }
    assert {r.type for r in inventory.resources} == {"AWS::EC2::VPC", "AWS::S3::Bucket"}
