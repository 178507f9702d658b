"""Several accounts: profiles and roles assumed with STS (moto keeps accounts apart)."""

import json

import boto3
import pytest

from cloudviz.config import Settings
from cloudviz.errors import ProviderError
from cloudviz.sources.live import ExtractRequest, extract_inventory
from tests.sources.aws.moto_estate import ACCOUNT, ROLE_POLICY

OTHER = "210987654321"


@pytest.fixture(scope="module")
def other_account_role(estate):
    """A role in a second account with one VPC built in that account."""
    role_arn = f"arn:aws:iam::{OTHER}:role/cloudviz-read"
    credentials = boto3.client("sts").assume_role(
        RoleArn=role_arn, RoleSessionName="build"
    )["Credentials"]
    other = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="eu-west-1",
    )
    other.client("iam").create_role(
        RoleName="cloudviz-read", AssumeRolePolicyDocument=ROLE_POLICY
    )
    vpc = other.client("ec2").create_vpc(CidrBlock="10.200.0.0/16")["Vpc"]["VpcId"]
    return role_arn, vpc


def test_roles_in_other_accounts_are_read_side_by_side(other_account_role, tmp_path):
    role_arn, vpc = other_account_role
    config = tmp_path / "config"
    config.write_text(
        "[profile prod]\naws_access_key_id = testing\n"
        "aws_secret_access_key = testing\nregion = eu-west-1\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_CONFIG_FILE", str(config))
        inventory = extract_inventory(
            ExtractRequest(
                "aws",
                regions=("eu-west-1",),
                profiles=("prod",),
                role_arns=(role_arn,),
            ),
            Settings(),
        )
    assert inventory.source_detail["accounts"] == sorted([ACCOUNT, OTHER])
    other_vpc = f"arn:aws:ec2:eu-west-1:{OTHER}:vpc/{vpc}"
    assert inventory.by_id()[other_vpc].account == OTHER
    assert any(r.account == ACCOUNT for r in inventory.resources)
    assert inventory.source_detail["api_calls_by_operation"]["sts.AssumeRole"] == 1


def test_a_missing_profile_is_cv004(aws_env):
    with pytest.raises(ProviderError) as caught:
        extract_inventory(
            ExtractRequest("aws", regions=("eu-west-1",), profiles=("nope",)),
            Settings(),
        )
    assert "ProfileNotFound" in caught.value.message
    assert "aws configure --profile nope" in caught.value.hint


def test_two_profiles_of_one_account_are_read_once(aws_env, estate, tmp_path):
    config = tmp_path / "config"
    config.write_text(
        "".join(
            f"[profile {name}]\naws_access_key_id = testing\n"
            "aws_secret_access_key = testing\n"
            for name in ("a", "b")
        )
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_CONFIG_FILE", str(config))
        inventory = extract_inventory(
            ExtractRequest("aws", regions=("eu-west-1",), profiles=("a", "b")),
            Settings(),
        )
    assert inventory.source_detail["accounts"] == [ACCOUNT]
    calls = inventory.source_detail["api_calls_by_operation"]
    assert calls["ec2.DescribeVpcs"] == 1
    assert json.dumps(inventory.to_dict())
