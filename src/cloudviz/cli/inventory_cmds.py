"""Commands on inventory files: import, inspect, diff, demo, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.cli.options import (
    build_filter,
    count_of,
    emit_inventory,
    filter_options,
    output_option,
)
from cloudviz.cli.progress_bar import TerminalProgress
from cloudviz.inventory.codec import read_inventory
from cloudviz.inventory.diff import diff_inventories, format_diff_text
from cloudviz.inventory.filters import FilterReport, apply_filter
from cloudviz.inventory.schema import inventory_json_schema
from cloudviz.inventory.summary import summarize_inventory
from cloudviz.sources.demo import generate_demo_inventory
from cloudviz.sources.files.registry import FORMAT_NAMES, import_files


def report_filtering(state: CliState, report: FilterReport) -> None:
    if report.total_dropped and not state.quiet:
        click.echo(f"Filter: {report.summary()}", err=True)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(("auto", *FORMAT_NAMES)),
    default="auto",
    show_default=True,
    help="Input format; auto detects it from the content.",
)
@click.option("--name", help="Name of the resulting inventory.")
@filter_options
@output_option
@pass_state
def import_command(
    state: CliState,
    /,
    paths: tuple[Path, ...],
    file_format: str,
    name: str | None,
    output: Path | None,
    **filters: Any,
) -> None:
    """Turn exports you already have into one CloudViz inventory.

    Reads Terraform state or plan JSON, AWS Config snapshots, `az graph query`
    and `az resource list` output, GCP Cloud Asset exports and CloudViz
    inventories. Several files merge into one inventory.

    \b
    Example:
      cloudviz import terraform.tfstate config-snapshot.json -o estate.json
    """
    criteria = build_filter(filters)
    progress = TerminalProgress(enabled=not state.quiet, unit="bytes")
    inventory = import_files(
        paths, file_format=file_format, name=name, progress=progress
    )
    inventory, report = apply_filter(inventory, criteria)
    report_filtering(state, report)
    emit_inventory(inventory, output)
    if not state.quiet:
        click.echo(
            f"Imported {count_of(len(inventory.resources), 'resource')}, "
            f"{count_of(len(inventory.relationships), 'relationship')}, "
            f"{count_of(len(inventory.errors), 'error')}"
            + (f" into {output}" if output else ""),
            err=True,
        )


def _print_counts(title: str, counts: dict[str, int]) -> None:
    click.echo(f"\n{title}:")
    width = max((len(key) for key in counts), default=0)
    for key, count in counts.items():
        click.echo(f"  {key:<{width}}  {count:>7}")


@cli.command("inspect")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_state
def inspect_command(state: CliState, file: Path, as_json: bool) -> None:
    """Summarise an inventory: counts by provider, account, region and kind.

    \b
    Example:
      cloudviz inspect estate.json
    """
    summary = summarize_inventory(read_inventory(file))
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(
        f"Inventory {summary['name']} ({summary['source']['kind']}), "
        f"created {summary['created_at'] or 'at an unknown time'}"
    )
    click.echo(
        f"{summary['resources']} resources, {summary['relationships']} relationships"
    )
    _print_counts("By provider", summary["by_provider"])
    _print_counts("By account", summary["by_account"])
    _print_counts("By region", summary["by_region"])
    _print_counts("By kind", summary["by_kind"])
    if summary["relationships_by_type"]:
        _print_counts("Relationships", summary["relationships_by_type"])
    errors = summary["errors"]
    click.echo(f"\nErrors: {len(errors) or 'none'}")
    for error in errors:
        click.echo(
            f"  [{error['code']}] {error['provider']} {error['scope']}: "
            f"{error['message']}"
        )


@cli.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
)
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit 1 when the inventories differ (for CI checks).",
)
@filter_options
@pass_state
def diff_command(
    state: CliState,
    /,
    old: Path,
    new: Path,
    output_format: str,
    exit_code: bool,
    **filters: Any,
) -> None:
    """Show what changed between two inventories of the same estate.

    \b
    Example:
      cloudviz diff monday.json tuesday.json --format json
    """
    criteria = build_filter(filters)
    old_inventory, _ = apply_filter(read_inventory(old), criteria)
    new_inventory, _ = apply_filter(read_inventory(new), criteria)
    diff = diff_inventories(old_inventory, new_inventory)
    if output_format == "json":
        click.echo(json.dumps(diff.to_dict(), indent=2, default=str))
    else:
        click.echo(format_diff_text(diff), nl=False)
    if exit_code and not diff.is_empty:
        sys.exit(1)


@cli.command("demo")
@click.option(
    "--resources",
    default=200,
    show_default=True,
    type=int,
    help="How many resources the estate holds.",
)
@click.option(
    "--seed", default=42, show_default=True, type=int, help="Same seed, same estate."
)
@output_option
@pass_state
def demo_command(
    state: CliState, resources: int, seed: int, output: Path | None
) -> None:
    """Generate a realistic multi-cloud sample estate.

    \b
    Example:
      cloudviz demo --resources 10000 --seed 7 -o big.json
    """
    inventory = generate_demo_inventory(resources, seed)
    emit_inventory(inventory, output)
    if output is not None and not state.quiet:
        click.echo(
            f"Wrote {len(inventory.resources)} resources and "
            f"{len(inventory.relationships)} relationships to {output}",
            err=True,
        )


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the inventory file format.

    \b
    Example:
      cloudviz schema > inventory.schema.json
    """
    click.echo(json.dumps(inventory_json_schema(), indent=2))
