"""IAM roles (global: read once per account).

Trust policies are not kept; a role's name, path and description are.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import Found, Scope, unit

ROLE = "AWS::IAM::Role"


@reads("iam:ListRoles", fallback=[])
def get_roles(scope: Scope) -> list[dict[str, Any]]:
    return scope.paginate("list_roles", "Roles")


def transform_roles(roles: list[dict[str, Any]], account: str, region: str) -> Found:
    found = Found(account, region)
    for role in roles:
        found.add(ROLE, role["Arn"], role["RoleName"], role, tags=role.get("Tags"))
    return found


UNITS = (unit(ROLE, "iam", get_roles, transform_roles, is_global=True),)
