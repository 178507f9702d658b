"""DynamoDB tables: the names are listed, each table then described."""

from __future__ import annotations

from typing import Any

from cloudviz.sources.aws.failures import reads
from cloudviz.sources.aws.scope import Found, Scope, unit

TABLE = "AWS::DynamoDB::Table"


@reads("dynamodb:ListTables", fallback=[])
def get_table_names(scope: Scope) -> list[str]:
    return scope.paginate("list_tables", "TableNames")


@reads("dynamodb:DescribeTable", fallback=[])
def get_table(scope: Scope, name: str) -> list[dict[str, Any]]:
    return [scope.client().describe_table(TableName=name)["Table"]]


def get_tables(scope: Scope) -> list[dict[str, Any]]:
    return scope.each(lambda name: get_table(scope, name), get_table_names(scope))


def transform_tables(tables: list[dict[str, Any]], account: str, region: str) -> Found:
    found = Found(account, region)
    for table in tables:
        found.add(TABLE, table["TableArn"], table["TableName"], table)
    return found


UNITS = (unit(TABLE, "dynamodb", get_tables, transform_tables),)
