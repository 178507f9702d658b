"""The render pipeline end to end on small estates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import build_diagrams, normalise_format, render
from cloudviz.errors import ValidationError, VisualizationError
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


def test_running_out_of_time_is_cv007() -> None:
    inventory = generate_demo_inventory(2000, 1)

    with pytest.raises(
        VisualizationError, match="timed out after 1e-06 seconds"
    ) as caught:
        render(inventory, RenderOptions(timeout=1e-6))

    assert caught.value.cv_code == "CV007"
    assert "--paginate" in (caught.value.hint or "")


def test_graphviz_is_accepted_as_a_name_of_dot() -> None:
    assert normalise_format("graphviz") == "dot"
    with pytest.raises(ValidationError, match="unknown diagram format"):
        normalise_format("bmp")


def test_render_reports_time_per_stage() -> None:
    result = render(generate_demo_inventory(100, 1), RenderOptions())

    assert {"view", "layout", "write", "total"} <= set(result.timings)
    assert result.pages == 1


class RecordingProgress:
    def __init__(self) -> None:
        self.events: list[tuple[str, int | None]] = []

    def begin(self, task: str, total: int | None) -> None:
        self.events.append(("begin", total))

    def advance(self, amount: int = 1) -> None:
        self.events.append(("advance", amount))

    def end(self) -> None:
        self.events.append(("end", None))


def test_render_reports_progress_stage_by_stage() -> None:
    progress = RecordingProgress()
    render(generate_demo_inventory(50, 1), RenderOptions(paginate=True), None, progress)

    begin, *steps, end = progress.events
    assert begin == ("begin", 5) and end == ("end", None)
    assert steps == [("advance", 1)] * 5
