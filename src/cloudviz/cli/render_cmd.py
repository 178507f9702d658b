"""`cloudviz render`: draw an inventory file as a diagram."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.cli.options import build_filter, filter_options, output_option
from cloudviz.cli.progress_bar import TerminalProgress
from cloudviz.diagram.options import ENGINES, FORMATS, THEMES, VIEWS, RenderOptions
from cloudviz.diagram.render import FORMAT_ALIASES, normalise_format, render
from cloudviz.inventory.codec import read_inventory
from cloudviz.inventory.filters import apply_filter

FORMAT_CHOICES = (*FORMATS, *FORMAT_ALIASES)


@cli.command("render")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(FORMAT_CHOICES, case_sensitive=False),
    help="Output format (default: visualization.default_format, svg). "
    "graphviz is the same as dot.",
)
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="architecture",
    show_default=True,
    help="architecture: nested boxes; network: networks and what attaches to "
    "them; dependencies: relationships only.",
)
@click.option(
    "--theme",
    type=click.Choice(THEMES),
    help="Colours (default: visualization.theme, light).",
)
@click.option(
    "--group-by",
    type=click.Choice(("none", "resource-group")),
    default="none",
    show_default=True,
    help="Add Azure resource groups (or another provider's equivalent) as a box.",
)
@click.option(
    "--collapse",
    metavar="kind|tag:KEY",
    help="Draw alike resources of one box as one node, e.g. '40 × compute.vm'.",
)
@click.option("--paginate", is_flag=True, help="Split a big diagram into pages.")
@click.option(
    "--max-nodes-per-page",
    type=click.IntRange(min=1),
    help="Nodes per page with --paginate "
    "(default: visualization.limits.max_nodes_per_page, 500).",
)
@click.option(
    "--page",
    type=click.IntRange(min=1),
    help="Only this page of a paginated render (1 is the index).",
)
@click.option(
    "--diff",
    "diff_against",
    type=click.Path(path_type=Path),
    help="An older inventory: colour what was added, removed and changed since.",
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0.01, max=20),
    default=1.0,
    show_default=True,
    help="Size factor of PNG and PDF output.",
)
@click.option(
    "--dpi",
    type=click.IntRange(min=10, max=2400),
    default=96,
    show_default=True,
    help="Resolution of PNG and PDF output (96: one pixel per layout pixel).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="cloudviz",
    show_default=True,
    help="Layout engine: our own, or Graphviz (must be installed).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.001),
    help="Give up after this many seconds "
    "(default: visualization.limits.timeout, 300).",
)
@filter_options
@output_option
@pass_state
def render_command(
    state: CliState,
    /,
    file: Path,
    output_format: str | None,
    view: str,
    theme: str | None,
    group_by: str,
    collapse: str | None,
    paginate: bool,
    max_nodes_per_page: int | None,
    page: int | None,
    diff_against: Path | None,
    scale: float,
    dpi: int,
    engine: str,
    timeout: float | None,
    output: Path | None,
    **filters: Any,
) -> None:
    """Draw an inventory as SVG, PNG, PDF, draw.io, HTML, Mermaid, DOT or JSON.

    Without -o the diagram goes to standard output (binary formats too).

    \b
    Examples:
      cloudviz render estate.json -o estate.svg
      cloudviz render estate.json --format png --theme dark -o estate.png
      cloudviz render estate.json --format html -o estate.html
      cloudviz render estate.json --view network --collapse kind -o net.svg
      cloudviz render large-inventory.json --paginate --max-nodes-per-page 100
      cloudviz render tuesday.json --diff monday.json --format png -o changes.png
    """
    settings = state.settings.visualization
    criteria = build_filter(filters)
    if output_format is None and output is not None and output.suffix:
        output_format = _format_from_suffix(output.suffix)
    options = RenderOptions(
        format=normalise_format(output_format or settings.default_format),
        view=view,
        theme=theme or settings.theme,
        group_by="resource-group" if group_by == "resource-group" else "none",
        collapse=collapse,
        paginate=paginate,
        max_nodes_per_page=max_nodes_per_page or settings.limits.max_nodes_per_page,
        page=page,
        engine=engine,
        scale=scale,
        dpi=dpi,
        timeout=timeout or settings.limits.timeout,
    )
    inventory, _ = apply_filter(read_inventory(file), criteria)
    old = None
    if diff_against is not None:
        old, _ = apply_filter(read_inventory(diff_against), criteria)

    progress = TerminalProgress(enabled=not state.quiet)
    result = render(inventory, options, diff_against=old, progress=progress)

    if output is None:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    else:
        result.write_to(output)
    if not state.quiet:
        for note in result.notes:
            click.echo(f"Note: {note}", err=True)
        if output is not None:
            pages = f", {result.pages} pages" if result.pages > 1 else ""
            click.echo(
                f"Wrote {options.format} ({len(result.data):,} bytes{pages}) to "
                f"{output} in {result.timings.get('total', 0):.2f}s",
                err=True,
            )


def _format_from_suffix(suffix: str) -> str | None:
    """`.png` → png, `.gv` → dot; None for suffixes that name no format."""
    name = suffix.lstrip(".").lower()
    name = {"htm": "html", "mmd": "mermaid", "md": "mermaid", "gv": "dot"}.get(
        name, name
    )
    return name if name in FORMATS else None
