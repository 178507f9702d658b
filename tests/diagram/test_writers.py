"""Structure of each graphical writer's output, parsed with real parsers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import cairosvg
import orjson
import pytest

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import build_diagrams, render
from cloudviz.errors import VisualizationError
from cloudviz.sources.demo import generate_demo_inventory
from tests.factories import small_network

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def svg_tree(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def elements_with(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if css_class in classes(e)]


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC)
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def embedded_json(html: str) -> Any:
    match = re.search(
        r'<script type="application/json" id="cv-data">(.*?)</script>', html, re.S
    )
    assert match is not None
    return orjson.loads(match.group(1))


@pytest.fixture(scope="module")
def estate():  # type: ignore[no-untyped-def]
    return generate_demo_inventory(120, 6)


def test_svg_holds_every_group_node_and_edge_of_the_layout(estate) -> None:  # type: ignore[no-untyped-def]
    (page,) = build_diagrams(estate, RenderOptions())
    root = svg_tree(render(estate, RenderOptions()).data)

    group_ids = {e.get("id") for e in elements_with(root, "g", "g")}
    node_ids = {e.get("id") for e in elements_with(root, "g", "n")}
    assert group_ids == {g.id for g in page.groups}
    assert node_ids == {n.id for n in page.nodes}
    edge_ids = {e.get("id") for e in elements_with(root, "path", "e") if e.get("id")}
    assert edge_ids == {e.id for e in page.edges}
    hover = next(e for e in elements_with(root, "g", "n")).find(f"{SVG}title")
    assert hover is not None and "id: " in (hover.text or "")
    assert root.find(f".//{SVG}script") is None
    hrefs = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("href")]
    assert hrefs and all(href.startswith("#") for href in hrefs)  # self-contained


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_svg_turns_into_a_png(estate, theme: str) -> None:  # type: ignore[no-untyped-def]
    svg = render(estate, RenderOptions(theme=theme)).data
    width, height = png_size(cairosvg.svg2png(bytestring=svg))

    assert width > 500 and height > 300


def test_png_writer_honours_scale_and_dpi() -> None:
    options = RenderOptions(format="png")
    base = png_size(render(small_network(), options).data)
    bigger = png_size(
        render(small_network(), RenderOptions(format="png", scale=2)).data
    )
    sharper = png_size(
        render(small_network(), RenderOptions(format="png", dpi=192)).data
    )

    assert bigger == (base[0] * 2, base[1] * 2)
    assert sharper == bigger


def test_pdf_has_one_page_per_diagram_page() -> None:
    inventory = generate_demo_inventory(300, 2)
    single = render(inventory, RenderOptions(format="pdf")).data
    options = RenderOptions(format="pdf", paginate=True, max_nodes_per_page=40)
    result = render(inventory, options)

    assert single.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", single)) == 1
    pages = len(re.findall(rb"/Type\s*/Page[^s]", result.data))
    assert result.data.startswith(b"%PDF")
    assert pages == result.pages > 2


def test_stacked_svg_pages_are_views_with_links_between_them() -> None:
    options = RenderOptions(paginate=True, max_nodes_per_page=40)
    result = render(generate_demo_inventory(300, 2), options)
    root = svg_tree(result.data)

    views = [v.get("id") for v in root.iter(f"{SVG}view")]
    assert views == [f"view-page-{n}" for n in range(1, result.pages + 1)]
    links = {a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")}
    assert links and links <= {f"#{v}" for v in views}
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert png_size(cairosvg.svg2png(bytestring=result.data))[1] > 1000


def test_html_is_standalone_with_data_for_search_and_details(estate) -> None:  # type: ignore[no-untyped-def]
    (page,) = build_diagrams(estate, RenderOptions())
    html = render(estate, RenderOptions(format="html")).data.decode()

    assert html.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    data = embedded_json(html)
    items = data["pages"][0]["items"]
    assert set(items) == {g.id for g in page.groups} | {n.id for n in page.nodes}
    node = page.nodes[0]
    assert items[node.id]["details"] == node.details
    for element_id in items:
        assert f'id="p1-{element_id}"' in html
    for feature in ("cv-search", "cv-details", 'data-zoom="in"', "wheel"):
        assert feature in html


def test_html_pages_have_navigation() -> None:
    options = RenderOptions(format="html", paginate=True, max_nodes_per_page=40)
    result = render(generate_demo_inventory(300, 2), options)
    html = result.data.decode()

    data = embedded_json(html)
    assert [p["page"] for p in data["pages"]] == list(range(1, result.pages + 1))
    assert html.count('class="cv-page"') == result.pages
    stubs = [i for p in data["pages"] for i in p["items"].values() if i.get("page_ref")]
    assert stubs


def test_json_writer_gives_groups_nodes_and_edges_with_coordinates(estate) -> None:  # type: ignore[no-untyped-def]
    (page,) = build_diagrams(estate, RenderOptions())
    document = orjson.loads(render(estate, RenderOptions(format="json")).data)

    assert document["format"] == "cloudviz-diagram" and document["version"] == 1
    (out,) = document["pages"]
    assert [g["id"] for g in out["groups"]] == [g.id for g in page.groups]
    assert [n["id"] for n in out["nodes"]] == [n.id for n in page.nodes]
    assert len(out["edges"]) == len(page.edges)
    node = out["nodes"][0]
    assert {"x", "y", "width", "height", "kind", "provider", "group"} <= set(node)
    assert all(len(e["points"]) >= 2 for e in out["edges"])


@pytest.mark.parametrize("output_format", ["mermaid", "dot", "drawio"])
def test_formats_missing_from_this_build_fail_clearly(output_format: str) -> None:
    import importlib.util

    module = {"drawio": "drawio", "mermaid": "mermaid", "dot": "dot"}[output_format]
    if importlib.util.find_spec(f"cloudviz.diagram.writers.{module}") is not None:
        pytest.skip(f"the {output_format} writer is part of this build")
    with pytest.raises(VisualizationError, match="not available"):
        render(small_network(), RenderOptions(format=output_format))


def test_missing_graphviz_engine_is_a_cv007() -> None:
    import importlib.util

    if importlib.util.find_spec("cloudviz.diagram.graphviz_engine") is not None:
        pytest.skip("the Graphviz engine is part of this build")
    with pytest.raises(VisualizationError, match="Graphviz engine"):
        render(small_network(), RenderOptions(engine="graphviz"))


def test_png_without_cairosvg_explains_how_to_install(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    # The outer edge: the optional package is absent from this interpreter.
    monkeypatch.setitem(sys.modules, "cairosvg", None)
    with pytest.raises(VisualizationError) as caught:
        render(small_network(), RenderOptions(format="png"))

    assert caught.value.cv_code == "CV007"
    assert "libcairo2-dev" in str(caught.value)
    assert "pip install cairosvg" in str(caught.value)


def test_png_scale_stays_within_cairo_limits() -> None:
    from cloudviz.diagram.writers.png import MAX_PIXELS, MAX_SIDE, pixel_scale

    assert pixel_scale(1000, 800, RenderOptions(scale=2, dpi=144)) == 3
    huge = pixel_scale(90_000, 60_000, RenderOptions())
    assert huge * 90_000 <= MAX_SIDE
    assert (huge * 90_000) * (huge * 60_000) <= MAX_PIXELS * 1.0001
