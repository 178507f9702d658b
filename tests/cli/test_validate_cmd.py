"""`cloudviz validate` end to end through the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cloudviz.cli.main import cli
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.writers import dot, drawio, mermaid
from tests.diagram import text_cases


def test_files_cloudviz_wrote_are_valid(tmp_path: Path) -> None:
    pages = [text_cases.hostile()]
    files = {
        "diagram.md": mermaid.write(pages, RenderOptions()),
        "diagram.dot": dot.write(pages, RenderOptions()),
        "diagram.drawio": drawio.write(pages, RenderOptions()),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    result = CliRunner().invoke(cli, ["validate", *(str(tmp_path / n) for n in files)])

    assert result.exit_code == 0, result.output
    assert "diagram.md: valid mermaid (1 Mermaid chart)" in result.output
    assert "diagram.dot: valid dot (1 DOT graph)" in result.output
    assert "diagram.drawio: valid drawio (1 draw.io page)" in result.output


def test_errors_are_listed_with_lines_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "diagram.md"
    path.write_text("# x\n\n```mermaid\nflowchart TB\n  a --> end\n```\n")

    result = CliRunner().invoke(cli, ["validate", "--format", "mermaid", str(path)])

    assert result.exit_code == 1
    assert f"{path}:5: MermaidError: Parse error on line 5:" in result.output
    assert "Error [CV010]: 1 error in" in result.output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])

    assert "cloudviz validate --format mermaid diagram.md" in result.output


def test_render_mermaid_says_it_split_and_the_file_validates(tmp_path: Path) -> None:
    runner = CliRunner()
    estate = tmp_path / "estate.json"
    assert (
        runner.invoke(cli, ["demo", "--resources", "3000", "-o", str(estate)]).exit_code
        == 0
    )
    diagram = tmp_path / "diagram.md"

    rendered = runner.invoke(
        cli, ["render", str(estate), "--view", "dependencies", "-o", str(diagram)]
    )

    assert rendered.exit_code == 0, rendered.output
    assert "Note: split into" in rendered.output
    assert "Mermaid's default limits" in rendered.output
    checked = runner.invoke(cli, ["validate", str(diagram)])
    assert checked.exit_code == 0, checked.output
    assert "valid mermaid" in checked.output


def test_an_svg_from_render_validates_and_a_broken_one_does_not(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    estate = tmp_path / "estate.json"
    runner.invoke(cli, ["demo", "--resources", "100", "-o", str(estate)])
    picture = tmp_path / "estate.svg"
    assert (
        runner.invoke(cli, ["render", str(estate), "-o", str(picture)]).exit_code == 0
    )

    assert runner.invoke(cli, ["validate", str(picture)]).exit_code == 0
    broken = tmp_path / "broken.svg"
    broken.write_text(picture.read_text()[:-20])
    result = runner.invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.output and "XML error" in result.output


def test_without_node_mermaid_validation_is_cv007_with_install_hints(
    tmp_path: Path,
) -> None:
    path = tmp_path / "diagram.md"
    path.write_text("```mermaid\nflowchart LR\n  a --> b\n```\n")

    result = CliRunner().invoke(
        cli, ["validate", str(path)], env={"PATH": str(tmp_path)}
    )

    assert result.exit_code == 1
    assert "Error [CV007]: Node.js is not installed" in result.output
    assert "npm install -g @mermaid-js/mermaid-cli" in result.output
