"""Entry point: the root group with every command group registered."""

from __future__ import annotations

from cloudviz.cli import config_cmd, inventory_cmds  # noqa: F401  (registers)
from cloudviz.cli.app import cli


def main() -> None:
    cli(prog_name="cloudviz")
