"""Hostile names break no output of ours and inject nothing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import cairosvg
import orjson
import pytest

from cloudviz.diagram.escape import clean_text, one_line
from cloudviz.diagram.options import VIEWS, RenderOptions
from cloudviz.diagram.render import render
from tests.diagram.hostile import HOSTILE_NAMES, SCRIPT, hostile_inventory

SVG_ELEMENTS = {
    "svg", "title", "style", "defs", "g", "marker", "path", "rect", "use",
    "text", "ellipse", "circle", "view", "a",
}  # fmt: skip


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def assert_clean_svg(data: bytes) -> ET.Element:
    root = ET.fromstring(data)  # well-formed XML, or this raises
    for element in root.iter():
        assert local(element.tag) in SVG_ELEMENTS, element.tag
        for name, value in element.attrib.items():
            assert not local(name).startswith("on"), name
            if local(name) == "href":
                assert value.startswith("#"), value
    return root


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_svg_stays_valid_and_inert(view: str, theme: str) -> None:
    data = render(hostile_inventory(), RenderOptions(view=view, theme=theme)).data
    root = assert_clean_svg(data)

    texts = " ".join(t for e in root.iter() for t in (e.text or "",))
    assert "alert(1)" in texts  # shown as text, not dropped...
    assert b"<script" not in data  # ...and never as markup
    cairosvg.svg2png(bytestring=data)


def test_paged_and_collapsed_svg_stays_valid() -> None:
    options = RenderOptions(paginate=True, max_nodes_per_page=5, collapse="tag:env")
    assert_clean_svg(render(hostile_inventory(), options).data)


class ScriptCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


@pytest.mark.parametrize("view", VIEWS)
def test_html_embeds_hostile_data_safely(view: str) -> None:
    html = render(hostile_inventory(), RenderOptions(format="html", view=view)).data
    text = html.decode("utf-8")

    parser = ScriptCounter()
    parser.feed(text)
    assert len(parser.scripts) == 2  # the data and the viewer, nothing injected
    assert parser.scripts[0] == {"type": "application/json", "id": "cv-data"}
    assert parser.handlers == []
    block = re.search(r'id="cv-data">(.*?)</script>', text, re.S)
    assert block is not None and "<" not in block.group(1)
    data = orjson.loads(block.group(1))
    labels = {item["label"] for p in data["pages"] for item in p["items"].values()}
    assert one_line(SCRIPT) in {label[-len(SCRIPT) :] for label in labels}


def test_json_keeps_the_names_as_data() -> None:
    document = orjson.loads(
        render(hostile_inventory(), RenderOptions(format="json")).data
    )

    labels = {n["label"] for page in document["pages"] for n in page["nodes"]}
    expected = {one_line(name) for name in HOSTILE_NAMES if len(name) < 100}
    assert expected - labels <= {one_line(HOSTILE_NAMES[0]), one_line(HOSTILE_NAMES[7])}


def test_pdf_and_png_survive_hostile_names() -> None:
    for output_format in ("png", "pdf"):
        data = render(hostile_inventory(), RenderOptions(format=output_format)).data
        assert data[:4] in (b"\x89PNG", b"%PDF")


def test_clean_text_removes_what_xml_cannot_hold() -> None:
    assert clean_text("a\x00b\x1bc\ud800d") == "a\ufffdb\ufffdc\ufffdd"
    assert one_line("a\nb\r\nc\u2028d") == "a b c d"
