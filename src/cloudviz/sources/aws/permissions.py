"""The least-privilege IAM policy for AWS discovery, derived from the code.

Every `get_` function declares its IAM actions with `reads(...)`; importing
the catalog registers them all. `python -m cloudviz.sources.aws.permissions`
prints the policy that `docs/permissions/aws.md` publishes, and a test checks
both that the document matches and that the actions declared are exactly
the ones a discovery against moto calls.
"""

from __future__ import annotations

import json
from typing import Any

from cloudviz.sources.aws import (
    catalog,  # noqa: F401  (registers every action)
    regions,  # noqa: F401
)
from cloudviz.sources.aws.failures import REQUIRED_ACTIONS

# botocore service names whose IAM prefix differs.
_IAM_PREFIX = {"elbv2": "elasticloadbalancing", "elb": "elasticloadbalancing"}
# Operations whose IAM action has another name.
_IAM_ACTION = {"s3:ListBuckets": "s3:ListAllMyBuckets"}


def iam_action(operation: str) -> str:
    """`elbv2.DescribeTags` (as counted in source.detail) → its IAM action."""
    service, name = operation.split(".", 1)
    action = f"{_IAM_PREFIX.get(service, service)}:{name}"
    return _IAM_ACTION.get(action, action)


def policy_document() -> dict[str, Any]:
    """The IAM policy granting exactly the read-only actions discovery calls."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudVizDiscovery",
                "Effect": "Allow",
                "Action": sorted(REQUIRED_ACTIONS),
                "Resource": "*",
            }
        ],
    }


def policy_json() -> str:
    return json.dumps(policy_document(), indent=2)


if __name__ == "__main__":
    print(policy_json())
