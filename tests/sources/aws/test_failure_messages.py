"""The one translation of botocore failures into messages with a remedy."""

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from cloudviz.sources.aws.failures import (
    credentials_failure,
    describe_failure,
    error_code,
)


def client_error(code, operation="DescribeDBInstances", status=400):
    return ClientError(
        {
            "Error": {"Code": code, "Message": "no"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        operation,
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("AccessDenied", "grant rds:DescribeDBInstances"),
        ("UnauthorizedOperation", "grant rds:DescribeDBInstances"),
        ("OptInRequired", "not enabled for this account"),
        ("Throttling", "still throttled after the retries"),
        ("RequestLimitExceeded", "lower providers.aws.max_workers"),
    ],
)
def test_known_failures_name_the_remedy(code, expected):
    message = describe_failure(
        client_error(code), ("rds:DescribeDBClusters", "rds:DescribeDBInstances")
    )
    assert message.startswith(f"{code} on DescribeDBInstances")
    assert expected in message


def test_a_bare_403_is_access_denied():
    assert error_code(client_error("403", status=403)) == "AccessDenied"


def test_unreachable_service_endpoint():
    error = EndpointConnectionError(endpoint_url="https://eks.mars-1.amazonaws.com")
    assert "not reachable in this region" in describe_failure(error, ("eks:X",))


def test_credential_failures_are_cv004_with_the_remedy():
    missing = credentials_failure(NoCredentialsError(), "the default chain")
    assert missing.cv_code == "CV004"
    assert missing.message.startswith("NoCredentialsError")
    assert "aws configure" in missing.hint
    refused = credentials_failure(
        client_error("InvalidClientTokenId", "GetCallerIdentity", 403), "profile x"
    )
    assert "InvalidClientTokenId" in refused.message
    denied = credentials_failure(
        client_error("AccessDenied", "AssumeRole", 403), "role arn:aws:iam::1:role/r"
    )
    assert "sts:AssumeRole" in denied.hint
