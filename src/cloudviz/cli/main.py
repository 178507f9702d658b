"""Entry point: the root group with every command group registered."""

from __future__ import annotations

from cloudviz.cli import (  # noqa: F401  (importing registers the commands)
    config_cmd,
    db_cmd,
    extract_cmd,
    inventory_cmds,
    render_cmd,
    server_cmd,
    users_cmd,
    validate_cmd,
)
from cloudviz.cli.app import cli


def main() -> None:
    cli(prog_name="cloudviz")
