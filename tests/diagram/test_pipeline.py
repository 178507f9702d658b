"""The render pipeline end to end on small estates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import build_diagrams, render
from cloudviz.sources.demo import generate_demo_inventory
from tests.factories import small_network

SVG = "{http://www.w3.org/2000/svg}"


def test_render_svg_of_a_small_network_holds_its_boxes_and_nodes() -> None:
    result = render(small_network(), RenderOptions(format="svg"))

    root = ET.fromstring(result.data)
    assert result.media_type == "image/svg+xml"
    assert result.extension == "svg"
    labels = {
        text.text for text in root.iter(f"{SVG}text") if text.get("class") == "l1"
    }
    assert {"web-1", "g"} <= labels


def test_build_diagrams_gives_one_laid_out_page() -> None:
    pages = build_diagrams(generate_demo_inventory(80, 1), RenderOptions())

    assert len(pages) == 1
    assert pages[0].width > 0 and pages[0].height > 0
    assert all(node.width > 0 for node in pages[0].nodes)
