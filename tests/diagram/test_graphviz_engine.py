"""`--engine graphviz`: the DOT writer's output laid out by Graphviz."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from cloudviz.diagram.graphviz_engine import render_with_graphviz
from cloudviz.diagram.options import RenderOptions
from cloudviz.errors import ValidationError, VisualizationError
from tests.diagram import text_cases


def test_svg_and_png_come_from_dot() -> None:
    svg = render_with_graphviz([text_cases.small()], RenderOptions(engine="graphviz"))
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {
        "".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")
    }
    assert {"web-1", "AWS", "secured by"} <= texts

    png = render_with_graphviz(
        [text_cases.small()], RenderOptions(format="png", engine="graphviz", dpi=72)
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_sfdp_is_used_when_asked() -> None:
    svg = render_with_graphviz(
        [text_cases.dependencies()],
        RenderOptions(engine="graphviz", graphviz_layout="sfdp"),
    )
    root = ElementTree.fromstring(svg)
    texts = {
        "".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")
    }
    assert "svc-11" in texts


def test_a_timeout_is_cv007() -> None:
    options = RenderOptions(engine="graphviz", timeout=0.001)

    with pytest.raises(VisualizationError, match=r"timed out after 0\.001 seconds"):
        render_with_graphviz([text_cases.demo(300)], options)


def test_graphviz_missing_is_cv007_with_install_hints(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(VisualizationError) as caught:
        render_with_graphviz([text_cases.small()], RenderOptions(engine="graphviz"))

    assert caught.value.cv_code == "CV007"
    assert "failed to execute 'dot'" in caught.value.message
    for command in ("apt-get install graphviz", "yum install", "brew install", "choco"):
        assert command in (caught.value.hint or "")


def test_formats_graphviz_cannot_draw_are_refused() -> None:
    with pytest.raises(ValidationError):
        render_with_graphviz([text_cases.small()], RenderOptions(format="drawio"))
