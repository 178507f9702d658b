"""The AWS Config importer on hand-written exports in the documented shapes."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudviz.errors import ValidationError
from cloudviz.sources.files.registry import detect_format, import_files
from cloudviz.sources.files.source import ImportSource

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "aws_config"
ACCOUNT = "arn:aws:ec2:eu-central-1:210987654321:"
VPC = ACCOUNT + "vpc/vpc-0a11b22c33d44e55f"
SUBNET_A = ACCOUNT + "subnet/subnet-0f1e2d3c4b5a69788"
SUBNET_B = ACCOUNT + "subnet/subnet-09a8b7c6d5e4f3a21"
SG = ACCOUNT + "security-group/sg-07e1d2c3b4a596870"
INSTANCE = ACCOUNT + "instance/i-0badc0ffee1234567"
ENI = ACCOUNT + "network-interface/eni-0123456789abcdef0"
ALB = (
    "arn:aws:elasticloadbalancing:eu-central-1:210987654321:"
    "loadbalancer/app/shop-alb/4f1d2e3c5b6a7980"
)


@pytest.fixture(scope="module")
def snapshot():
    return import_files([FIXTURES / "snapshot.json"])


def edges(inventory):
    return {(rel.source, rel.target, rel.type) for rel in inventory.relationships}


def test_both_shapes_are_detected_from_content():
    for name in ("snapshot.json", "select_resource_config.json"):
        assert detect_format(ImportSource(FIXTURES / name)).name == "aws-config"


def test_snapshot_kinds_names_and_deleted_items(snapshot):
    by_id = snapshot.by_id()
    assert by_id[INSTANCE].kind == "compute.vm"
    assert by_id[INSTANCE].name == "shop-web-1"
    assert by_id[INSTANCE].zone == "eu-central-1a"
    assert by_id[INSTANCE].properties == {
        "instance_type": "m6i.large",
        "state": "running",
        "private_ip": "10.40.1.17",
        "image_id": "ami-0e1f2a3b4c5d6e7f8",
        "platform": "Linux/UNIX",
    }
    assert by_id[VPC].zone is None
    assert by_id[VPC].tags == {"Name": "shop-prod", "team": "checkout"}
    assert by_id["arn:aws:s3:::shop-assets-210987654321"].kind == "storage.bucket"
    assert by_id[ALB].kind == "network.load_balancer"
    assert not any("i-0deadbeef" in resource.id for resource in snapshot.resources)
    assert by_id["i-0badc0ffee1234567"].kind == "other"  # unmapped type, kept


def test_snapshot_parents_prefer_the_tightest_container(snapshot):
    by_id = snapshot.by_id()
    assert by_id[SUBNET_A].parent == VPC
    assert by_id[SG].parent == VPC
    assert by_id[INSTANCE].parent == SUBNET_A
    assert by_id[ENI].parent == SUBNET_A
    # Load balancers, databases and functions span subnets: drawn in the VPC.
    assert by_id[ALB].parent == VPC
    assert by_id["arn:aws:rds:eu-central-1:210987654321:db:shop-orders"].parent == VPC
    lambda_arn = "arn:aws:lambda:eu-central-1:210987654321:function:shop-thumbnailer"
    assert by_id[lambda_arn].parent == VPC  # Config named only one subnet


def test_snapshot_relationships_resolve_resource_ids_to_arns(snapshot):
    found = edges(snapshot)
    assert (INSTANCE, SG, "secured_by") in found
    assert (ENI, INSTANCE, "attached_to") in found
    assert (ACCOUNT + "volume/vol-0fedcba987654321f", INSTANCE, "attached_to") in found
    assert (
        ACCOUNT + "internet-gateway/igw-0c0ffee0c0ffee012",
        VPC,
        "attached_to",
    ) in found
    assert (ALB, SG, "secured_by") in found
    role = "arn:aws:iam::210987654321:role/shop-thumbnailer-role"
    lambda_arn = "arn:aws:lambda:eu-central-1:210987654321:function:shop-thumbnailer"
    assert (lambda_arn, role, "uses") in found
    assert (VPC, ACCOUNT + "vpc/vpc-0b22c33d44e55f66a", "peers_with") in found
    # Both ends of a relation collapse into one edge in one direction.
    assert (SG, INSTANCE, "secured_by") not in found
    assert (INSTANCE, ENI, "attached_to") not in found


def test_no_secrets_survive(snapshot):
    text = json.dumps([resource.to_dict() for resource in snapshot.resources])
    assert "s3cr3t" not in text
    assert "never-in-config" not in text


def test_select_resource_config_output():
    inventory = import_files([FIXTURES / "select_resource_config.json"])
    by_id = inventory.by_id()
    base = "arn:aws:ec2:us-west-2:356789012345:"
    vpc, subnet = (
        base + "vpc/vpc-05d4c3b2a1f0e9d8c",
        base + "subnet/subnet-0aa1bb2cc3dd4ee5f",
    )
    nat = base + "natgateway/nat-0f9e8d7c6b5a43210"
    eks = "arn:aws:eks:us-west-2:356789012345:cluster/analytics"
    assert len(inventory.resources) == 8  # the deleted instance is skipped
    assert by_id[vpc].tags == {"Name": "data-platform"}
    assert by_id[vpc].account == "356789012345"
    assert by_id[nat].parent == subnet
    assert by_id[nat].kind == "network.gateway"
    assert by_id[eks].parent == vpc  # a subnet-spanning cluster sits in its VPC
    assert by_id[eks].properties == {"version": "1.31", "status": "ACTIVE"}
    table = by_id["arn:aws:dynamodb:us-west-2:356789012345:table/events"]
    assert table.properties["billing_mode"] == "PAY_PER_REQUEST"
    found = edges(inventory)
    assert (base + "route-table/rtb-0abc1234def567890", nat, "routes_to") in found
    assert (eks, base + "security-group/sg-0123abcd4567ef890", "secured_by") in found


@pytest.mark.parametrize(
    "document",
    [
        {"configurationItems": [{"resourceType": 1, "resourceId": "x"}]},
        {"configurationItems": [42]},
        {"configurationItems": [{"resourceType": "AWS::EC2::VPC"}]},
        {"Results": ["{not json"], "QueryInfo": {}},
        {"Results": [7], "QueryInfo": {}},
        {"fileVersion": "1.0"},
    ],
)
def test_damaged_exports_are_cv010(tmp_path, document):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ValidationError) as caught:
        import_files([path], file_format="aws-config")
    assert caught.value.cv_code == "CV010"
    assert str(path) in caught.value.message


def test_truncated_snapshot_is_cv010(tmp_path):
    text = (FIXTURES / "snapshot.json").read_text()
    path = tmp_path / "truncated.json"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ValidationError) as caught:
        import_files([path])
    assert "not valid JSON" in caught.value.message


def test_items_under_another_shape_are_not_guessed(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"configurationItems": {"not": "a list"}}))
    inventory = import_files([path], file_format="aws-config")
    assert inventory.resources == []


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=4000), noise=st.binary(max_size=40))
def test_damaged_input_gives_an_inventory_or_cv010(tmp_path_factory, cut, noise):
    original = (FIXTURES / "select_resource_config.json").read_bytes()
    path = tmp_path_factory.mktemp("damaged") / "export.json"
    path.write_bytes(original[:cut] + noise + original[cut + len(noise) :])
    failure = None
    try:
        import_files([path], file_format="aws-config")
    except ValidationError as error:
        failure = error
    assert failure is None or failure.cv_code == "CV010"
