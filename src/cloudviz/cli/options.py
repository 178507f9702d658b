"""Options several commands share: filters, output file, format choices."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cloudviz.inventory.codec import dumps_inventory, write_atomically
from cloudviz.inventory.filters import ResourceFilter, parse_tag_filters
from cloudviz.inventory.model import Inventory

F = TypeVar("F", bound=Callable[..., Any])


def split_values(values: tuple[str, ...]) -> tuple[str, ...]:
    # `--region a,b` and `--region a --region b` both work.
    return tuple(part.strip() for value in values for part in value.split(",") if part)


def filter_options(func: F) -> F:
    """Add the shared resource filters to a command."""
    options = [
        click.option(
            "--provider",
            "providers",
            multiple=True,
            help="Keep these providers (aws, azure, gcp).",
        ),
        click.option(
            "--account",
            "accounts",
            multiple=True,
            help="Keep accounts, subscriptions or projects (glob).",
        ),
        click.option(
            "--region",
            "--regions",
            "regions",
            multiple=True,
            help="Keep regions (glob, comma-separated or repeated).",
        ),
        click.option(
            "--resource-group",
            "--resource-groups",
            "resource_groups",
            multiple=True,
            help='Keep resource groups (glob: "prod-*").',
        ),
        click.option(
            "--kind",
            "kinds",
            multiple=True,
            help="Keep kinds (glob: network.*, compute.vm).",
        ),
        click.option(
            "--type",
            "types",
            multiple=True,
            help="Keep provider types (glob: AWS::EC2::*).",
        ),
        click.option(
            "--tag",
            "tags",
            multiple=True,
            metavar="KEY=VALUE",
            help="Keep resources with this tag (value may be a glob).",
        ),
        click.option(
            "--max-resources",
            type=click.IntRange(min=1),
            help="Keep at most N resources; the rest are counted.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_filter(params: dict[str, Any]) -> ResourceFilter:
    """A ResourceFilter from the options `filter_options` added."""
    return ResourceFilter(
        providers=split_values(params.pop("providers", ())),
        accounts=split_values(params.pop("accounts", ())),
        regions=split_values(params.pop("regions", ())),
        resource_groups=split_values(params.pop("resource_groups", ())),
        kinds=split_values(params.pop("kinds", ())),
        types=split_values(params.pop("types", ())),
        tags=parse_tag_filters(params.pop("tags", ())),
        max_resources=params.pop("max_resources", None),
    )


def count_of(number: int, noun: str) -> str:
    """`1 error`, `3 errors`: counts in summaries read as sentences."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)


def emit_inventory(inventory: Inventory, output: Path | None) -> None:
    """Write an inventory to a file atomically, or to stdout."""
    data = dumps_inventory(inventory)
    if output is None:
        sys.stdout.buffer.write(data + b"\n")
        sys.stdout.flush()
    else:
        write_atomically(output, data)
