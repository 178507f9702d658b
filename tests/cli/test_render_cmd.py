"""`cloudviz render` as a user runs it: the installed command, end to end."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import orjson
import pytest

CLOUDVIZ = str(Path(sys.executable).with_name("cloudviz"))


def run(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [CLOUDVIZ, *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def estates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("estates")
    old, new = folder / "old.json", folder / "new.json"
    assert (
        run("demo", "--resources", "150", "--seed", "3", "-o", str(old)).returncode == 0
    )
    assert (
        run("demo", "--resources", "170", "--seed", "3", "-o", str(new)).returncode == 0
    )
    return old, new


def test_render_writes_svg_to_stdout(estates: tuple[Path, Path]) -> None:
    result = run("render", str(estates[0]))

    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"Note:" in result.stderr  # what was folded, on stderr only


def test_render_binary_formats_to_stdout_and_files(
    estates: tuple[Path, Path], tmp_path: Path
) -> None:
    png = run("render", str(estates[0]), "--format", "png")
    out = tmp_path / "estate.pdf"
    pdf = run("render", str(estates[0]), "-o", str(out))  # format from the suffix

    assert png.returncode == 0 and png.stdout.startswith(b"\x89PNG")
    assert pdf.returncode == 0, pdf.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert b"Wrote pdf" in pdf.stderr


def test_render_options_reach_the_diagram(estates: tuple[Path, Path]) -> None:
    result = run(
        "render", str(estates[0]), "--format", "json", "--view", "network",
        "--theme", "dark", "--collapse", "kind", "--region", "eu-*,us-*",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    (page,) = orjson.loads(result.stdout)["pages"]
    assert page["view"] == "network" and page["theme"] == "dark"
    assert any(node["count"] > 1 for node in page["nodes"])
    regions = {g["label"] for g in page["groups"] if g["level"] == "region"}
    assert regions and all(r.startswith(("eu-", "us-")) for r in regions)


def test_render_paginates_and_picks_a_page(
    estates: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "page.json"
    result = run(
        "render", str(estates[0]), "--paginate", "--max-nodes-per-page", "30",
        "--page", "2", "--format", "json", "-o", str(out),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    (page,) = orjson.loads(out.read_bytes())["pages"]
    assert page["page"] == 2 and page["pages"] > 2


def test_render_diff_colours_changes(estates: tuple[Path, Path]) -> None:
    old, new = estates
    result = run("render", str(new), "--diff", str(old), "--format", "json")

    assert result.returncode == 0, result.stderr
    (page,) = orjson.loads(result.stdout)["pages"]
    assert page["diff"] is True
    assert {n["status"] for n in page["nodes"]} >= {"added"}


def test_settings_choose_the_default_format_and_theme(
    estates: tuple[Path, Path], tmp_path: Path
) -> None:
    config = tmp_path / "cloudviz.yaml"
    config.write_text("visualization:\n  default_format: json\n  theme: dark\n")
    result = run("--config", str(config), "render", str(estates[0]))

    assert result.returncode == 0, result.stderr
    assert orjson.loads(result.stdout)["pages"][0]["theme"] == "dark"


def test_timeout_is_cv007_and_leaves_no_file(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    assert run("demo", "--resources", "6000", "-o", str(big)).returncode == 0
    out = tmp_path / "out.svg"
    config = tmp_path / "cloudviz.yaml"
    config.write_text("visualization:\n  limits:\n    timeout: 0.001\n")
    result = run("--config", str(config), "render", str(big), "-o", str(out))

    assert result.returncode == 1
    assert b"Error [CV007]: Diagram generation timed out after 0.001 seconds" in (
        result.stderr
    )
    assert b"Traceback" not in result.stderr
    assert sorted(tmp_path.iterdir()) == sorted([big, config])  # no partial file


def test_graphviz_is_an_alias_of_dot(estates: tuple[Path, Path]) -> None:
    result = run("render", str(estates[0]), "--format", "graphviz")

    # Until the DOT writer is part of the build, the alias reaches its clear error.
    if result.returncode != 0:
        assert b"Error [CV007]: the dot writer is not available" in result.stderr
    else:
        assert b"digraph" in result.stdout or b"graph" in result.stdout


def test_bad_input_is_a_clean_error(estates: tuple[Path, Path], tmp_path: Path) -> None:
    missing = run("render", str(tmp_path / "nope.json"))
    bad_collapse = run("render", str(estates[0]), "--collapse", "size")

    assert missing.returncode == 1 and b"Error [CV010]" in missing.stderr
    assert bad_collapse.returncode == 1 and b"Error [CV010]" in bad_collapse.stderr


def test_render_help_has_examples() -> None:
    result = run("render", "--help")

    assert result.returncode == 0
    assert b"Example" in result.stdout and b"--paginate" in result.stdout
