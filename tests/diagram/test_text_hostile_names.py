"""Hostile names through the real pipeline into the text formats, and the
text formats' own hostile names into SVG and HTML."""

from __future__ import annotations

import re
import subprocess
from xml.etree import ElementTree

import pytest

from cloudviz.diagram.options import VIEWS, RenderOptions
from cloudviz.diagram.render import render
from cloudviz.diagram.validation import MermaidParser, check_drawio, check_svg
from tests.diagram.hostile import hostile_inventory as core_hostile_inventory
from tests.diagram.text_corpus import hostile_inventory

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("view", VIEWS)
def test_mermaid_labels_hold_no_markup(
    view: str, mermaid_parser: MermaidParser
) -> None:
    text = render(core_hostile_inventory(), RenderOptions(format="mermaid", view=view))
    markdown = text.data.decode()

    chart = markdown.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert mermaid_parser.parse([chart]) == [None]
    for label in re.findall(r'"([^"\n]*)"', chart):
        bare = re.sub(r"#(quot|\d+);", "", label.replace("<br/>", ""))
        assert not set(bare) & set("<>&`%;#\\"), label
    # Outside the fences, the title and notes are escaped Markdown text.
    assert "<script" not in markdown


@pytest.mark.parametrize("view", VIEWS)
def test_dot_drawn_by_graphviz_injects_nothing(view: str) -> None:
    dot = render(core_hostile_inventory(), RenderOptions(format="dot", view=view)).data

    svg = subprocess.run(
        ["dot", "-Tsvg"], input=dot, capture_output=True, check=True
    ).stdout
    root = ElementTree.fromstring(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert not [
        name
        for element in root.iter()
        for name in element.attrib
        if name.startswith("on")
    ]
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "<script>alert(1)</script>" in texts


@pytest.mark.parametrize("view", VIEWS)
def test_drawio_keeps_structure_and_plain_labels(view: str) -> None:
    data = render(core_hostile_inventory(), RenderOptions(format="drawio", view=view))
    xml = data.data.decode()

    assert check_drawio(xml).problems == []
    root = ElementTree.fromstring(xml)
    labels = [e.attrib.get("label", "") for e in root.iter("object")]
    assert any("<script>alert(1)</script>" in label for label in labels)
    assert "html=1" not in xml


@pytest.mark.parametrize("output_format", ["svg", "html"])
def test_text_format_names_stay_inert_in_svg_and_html(output_format: str) -> None:
    data = render(hostile_inventory(), RenderOptions(format=output_format)).data

    if output_format == "svg":
        assert check_svg(data.decode()).problems == []
        assert b"<script" not in data
    else:
        assert data.count(b"<script") == 2  # the viewer's data and code only
        assert b"<script>alert" not in data
