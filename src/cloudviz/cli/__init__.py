"""The `cloudviz` command line: a front door onto the same services as the API."""

from cloudviz.cli.main import main

__all__ = ["main"]
