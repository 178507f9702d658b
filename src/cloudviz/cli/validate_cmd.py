"""`cloudviz validate`: check diagram files with the real parsers."""

from __future__ import annotations

from pathlib import Path

import click

from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.diagram.validation import (
    FORMATS,
    MermaidParser,
    ValidationReport,
    check_mermaid,
    guess_format,
    read_diagram_file,
    validate_file,
)
from cloudviz.errors import ValidationError


@cli.command("validate")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--format",
    "diagram_format",
    type=click.Choice(FORMATS),
    help="Format of the files; by default guessed from each name "
    "(.md/.mmd: mermaid, .dot/.gv: dot, .drawio: drawio, .svg: svg).",
)
@pass_state
def validate_command(
    state: CliState, /, paths: tuple[Path, ...], diagram_format: str | None
) -> None:
    """Check diagrams with the parser of their format and report each error
    with its line.

    Mermaid goes through the mermaid library itself (Node.js; a Markdown file
    is checked block by block, within Mermaid's default limits of 50,000
    characters and 500 edges), DOT through Graphviz, draw.io through an XML
    parser and a check that every cell's parent, source and target exist, SVG
    through an XML parser. Exits 1 when any file has an error.

    \b
    Example:
      cloudviz render estate.json --format mermaid -o diagram.md
      cloudviz validate --format mermaid diagram.md
      cloudviz validate estate.dot estate.drawio
    """
    reports = _validate_all(paths, diagram_format)

    for report in reports:
        if report.ok:
            if not state.quiet:
                click.echo(f"{report.path}: valid {report.format} ({report.checked})")
            continue
        for line in report.lines():
            click.echo(line)

    failed = [report for report in reports if not report.ok]
    if failed:
        count = sum(len(report.problems) for report in failed)
        raise ValidationError(
            f"{count} error{'s' if count != 1 else ''} in "
            + ", ".join(report.path for report in failed),
            hint="fix the lines listed above; a file CloudViz wrote should "
            "always pass, so report one that does not",
        )


def _validate_all(
    paths: tuple[Path, ...], diagram_format: str | None
) -> list[ValidationReport]:
    """One report per file; Mermaid files share one parser process."""
    formats = {path: diagram_format or guess_format(path) for path in paths}
    mermaid_paths = [path for path in paths if formats[path] == "mermaid"]
    reports: dict[Path, ValidationReport] = {}
    if mermaid_paths:
        texts = {path: read_diagram_file(path) for path in mermaid_paths}
        with MermaidParser() as parser:
            for path in mermaid_paths:
                report = check_mermaid(texts[path], parser)
                report.path = str(path)
                reports[path] = report
    for path in paths:
        if path not in reports:
            reports[path] = validate_file(path, formats[path])
    return [reports[path] for path in paths]
