"""`cloudviz extract` and `cloudviz provider test`: live discovery."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.cli.inventory_cmds import report_filtering
from cloudviz.cli.options import (
    build_filter,
    count_of,
    emit_inventory,
    filter_options,
    output_option,
    split_values,
)
from cloudviz.cli.progress_bar import TerminalProgress
from cloudviz.inventory.filters import apply_filter
from cloudviz.sources.live import (
    PROVIDERS,
    ExtractRequest,
    check_provider_access,
    extract_inventory,
)

provider_argument = click.argument("provider", type=click.Choice(PROVIDERS))


def scope_options(func: Any) -> Any:
    options = [
        click.option(
            "--profile",
            "profiles",
            multiple=True,
            help="AWS: named profile(s) to read, one account each.",
        ),
        click.option(
            "--role-arn",
            "role_arns",
            multiple=True,
            help="AWS: role(s) to assume with STS, one account each.",
        ),
        click.option(
            "--subscription",
            "subscriptions",
            multiple=True,
            help="Azure: subscription id(s) (default: all visible).",
        ),
        click.option(
            "--project", "projects", multiple=True, help="GCP: project id(s)."
        ),
        click.option("--scope", help="GCP: projects/P, folders/F or organizations/O."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_request(provider: str, params: dict[str, Any]) -> ExtractRequest:
    criteria = build_filter(params)
    return ExtractRequest(
        provider=provider,
        regions=criteria.regions,
        profiles=split_values(params.pop("profiles", ())),
        role_arns=split_values(params.pop("role_arns", ())),
        subscriptions=split_values(params.pop("subscriptions", ())),
        projects=split_values(params.pop("projects", ())),
        scope=params.pop("scope", None),
        filter=criteria,
        name=params.pop("name", None),
    )


@cli.command("extract")
@provider_argument
@scope_options
@click.option("--name", help="Name of the resulting inventory.")
@filter_options
@output_option
@pass_state
def extract_command(
    state: CliState, /, provider: str, output: Path | None, **params: Any
) -> None:
    """Discover an estate live through the provider's official SDK.

    AWS reads every enabled region (or --regions) of each account in parallel;
    Azure queries Resource Graph over every visible subscription; GCP reads
    Cloud Asset Inventory over a project, folder or organization. What cannot
    be read is listed in the inventory's errors with the permission to grant.

    \b
    Examples:
      cloudviz extract aws --regions eu-west-1,us-east-1 -o aws.json
      cloudviz extract azure --resource-groups "prod-*" --max-resources 1000
      cloudviz extract gcp --scope organizations/123456789 -o gcp.json
    """
    request = build_request(provider, params)
    started = time.perf_counter()
    progress = TerminalProgress(enabled=not state.quiet)
    inventory = extract_inventory(request, state.settings, progress)
    inventory, report = apply_filter(inventory, request.filter)
    report_filtering(state, report)
    emit_inventory(inventory, output)
    if state.quiet:
        return
    detail = inventory.source_detail
    click.echo(
        f"Extracted {count_of(len(inventory.resources), 'resource')} and "
        f"{count_of(len(inventory.relationships), 'relationship')} from {provider} "
        f"in {time.perf_counter() - started:.1f}s with "
        f"{detail.get('api_calls', '?')} API calls; "
        f"{count_of(len(inventory.errors), 'error')}",
        err=True,
    )
    for error in inventory.errors:
        click.echo(f"  [{error.code}] {error.scope}: {error.message}", err=True)


@cli.group("provider")
def provider_group() -> None:
    """Check cloud provider credentials and permissions."""


@provider_group.command("test")
@provider_argument
@scope_options
@click.option(
    "--region",
    "--regions",
    "regions",
    multiple=True,
    help="AWS: regions to check (default: the configured region).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_state
def provider_test_command(
    state: CliState, /, provider: str, as_json: bool, **params: Any
) -> None:
    """Check the credentials and every permission extraction needs.

    Exits 0 when everything needed is granted, 1 when something is missing.

    \b
    Example:
      cloudviz provider test aws --profile prod
    """
    request = build_request(provider, params)
    report = check_provider_access(request, state.settings)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(f"{provider}: identity {report.identity or 'unknown'}")
        for check in report.checks:
            mark = (
                click.style("ok", fg="green")
                if check.ok
                else click.style("MISSING", fg="red")
            )
            click.echo(f"  [{mark}] {check.name} {check.detail}".rstrip())
            if not check.ok and check.remedy:
                click.echo(f"        fix: {check.remedy}")
    raise SystemExit(0 if report.ok else 1)
