"""Lambda functions, placed in their VPC when they have a VPC config.

`ListFunctions` returns each function's environment variables; they are
dropped here, before anything else sees them, and never stored.
"""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.kinds import ec2_arn
from cloudviz.sources.aws.scope import Found, Scope, unit

FUNCTION = "AWS::Lambda::Function"


@reads("lambda:ListFunctions", fallback=[])
def get_functions(scope: Scope) -> list[dict[str, Any]]:
    functions = scope.paginate("list_functions", "Functions")
    for function in functions:
        function.pop("Environment", None)
    return functions


def transform_functions(
    functions: list[dict[str, Any]], account: str, region: str
) -> Found:
    found = Found(account, region)
    for function in functions:
        vpc_config = function.get("VpcConfig") or {}
        vpc = vpc_config.get("VpcId")
        subnets = sorted(vpc_config.get("SubnetIds", ()))
        # A subnet is lifted to its VPC once everything is read; it is trusted
        # over VpcId, which some emulators (moto) fill with a constant.
        if subnets:
            parent = ec2_arn("AWS::EC2::Subnet", region, account, subnets[0])
        elif vpc:
            parent = ec2_arn("AWS::EC2::VPC", region, account, vpc)
        else:
            parent = None
        arn = found.add(
            FUNCTION,
            function["FunctionArn"],
            function["FunctionName"],
            function,
            parent=parent,
            subnets=subnets,
        )
        found.secured_by(arn, vpc_config.get("SecurityGroupIds", ()))
        found.relate(arn, [function.get("Role")], "uses")
    return found


UNITS = (unit(FUNCTION, "lambda", get_functions, transform_functions),)
