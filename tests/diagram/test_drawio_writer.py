"""The draw.io writer: containers, relative geometry, attached edges, ids."""

from __future__ import annotations

from xml.etree import ElementTree

from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import build_diagrams
from cloudviz.diagram.validation import check_drawio
from cloudviz.diagram.writers import drawio
from cloudviz.diagram.writers.labels import clean_text
from cloudviz.sources.demo import generate_demo_inventory
from tests.diagram import text_cases
from tests.diagram.text_corpus import HOSTILE_NAMES

OPTIONS = RenderOptions(format="drawio")


def cells(
    xml: str, page: int = 0
) -> dict[str, tuple[dict[str, str], ElementTree.Element]]:
    """Cell id → (the id-bearing element's attributes, the mxCell)."""
    root = ElementTree.fromstring(xml)
    diagram = root.findall("diagram")[page]
    found: dict[str, tuple[dict[str, str], ElementTree.Element]] = {}
    for element in diagram.find("mxGraphModel/root"):  # type: ignore[union-attr]
        cell = element if element.tag == "mxCell" else element.find("mxCell")
        assert cell is not None
        found[element.attrib["id"]] = (dict(element.attrib), cell)
    return found


def write(pages: list[Diagram]) -> str:
    return drawio.write(pages, OPTIONS).decode()


def test_groups_are_containers_and_children_sit_relative_to_them() -> None:
    diagram = text_cases.small()
    found = cells(write([diagram]))

    groups = {g.id: g for g in diagram.groups}
    by_label = {attrs.get("label"): (attrs, cell) for attrs, cell in found.values()}
    for group in diagram.groups:
        _, cell = by_label[group.label]
        assert "container=1" in cell.attrib["style"]
        parent = groups.get(group.parent or "")
        geometry = cell.find("mxGeometry")
        assert geometry is not None
        if parent is None:
            assert cell.attrib["parent"] == "1"
            continue
        assert found[cell.attrib["parent"]][0]["label"] == parent.label
        assert float(geometry.attrib["x"]) == round(group.x - parent.x, 1)
        assert float(geometry.attrib["y"]) == round(group.y - parent.y, 1)

    vm_attrs, vm_cell = by_label["web-1\nt3.small"]
    subnet = groups[next(n.group for n in diagram.nodes if n.label == "web-1")]  # type: ignore[index]
    assert found[vm_cell.attrib["parent"]][0]["label"] == subnet.label
    assert vm_cell.attrib["vertex"] == "1"
    assert vm_attrs["resource_id"] == "i-1"


def test_edges_attach_to_their_nodes() -> None:
    diagram = text_cases.small()
    found = cells(write([diagram]))

    edges = [cell for _, cell in found.values() if cell.attrib.get("edge") == "1"]
    assert len(edges) == len(diagram.edges) == 2
    for edge in edges:
        assert edge.attrib["source"] in found
        assert edge.attrib["target"] in found
        assert edge.find("mxGeometry").attrib["relative"] == "1"  # type: ignore[union-attr]
    labels = sorted(edge.attrib["value"] for edge in edges)
    assert labels == ["attached to", "secured by"]


def test_ids_are_stable_across_renders_and_follow_resources() -> None:
    first = cells(write([text_cases.demo(200)]))
    second = cells(write([text_cases.demo(200)]))
    assert first.keys() == second.keys()

    # Dropping one resource leaves every other id as it was.
    smaller = text_cases.demo(200)
    removed = smaller.nodes.pop()
    smaller.edges = [e for e in smaller.edges if removed.id not in (e.source, e.target)]
    third = cells(write([smaller]))
    assert set(third) < set(first)
    assert len(set(first) - set(third)) >= 1


def test_hostile_names_are_escaped_and_read_back_as_typed() -> None:
    xml = write([text_cases.hostile()])

    assert check_drawio(xml).problems == []
    labels = {attrs.get("label", "").split("\n")[0] for attrs, _ in cells(xml).values()}
    for name in HOSTILE_NAMES:
        assert clean_text(name, drawio.LABEL_LIMIT) in labels
    assert "<script>" not in xml
    assert "html=0" in xml and "html=1" not in xml


def test_diff_styles_and_legend() -> None:
    found = cells(write([text_cases.changed()]))

    assert "legend" in found and "legend-removed" in found
    assert found["legend-removed"][1].attrib["parent"] == "legend"
    statuses = {attrs.get("status") for attrs, _ in found.values()}
    assert {"added", "removed", "changed"} <= statuses
    removed = [
        cell for attrs, cell in found.values() if attrs.get("status") == "removed"
    ]
    assert all("dashed=1" in cell.attrib["style"] for cell in removed)


def test_one_diagram_element_per_page() -> None:
    xml = write(text_cases.paged())

    root = ElementTree.fromstring(xml)
    pages = root.findall("diagram")
    assert [page.attrib["name"] for page in pages] == [
        "Page 1: page one",
        "Page 2: page two",
    ]
    assert len({page.attrib["id"] for page in pages}) == 2
    assert check_drawio(xml).problems == []


def test_edge_bends_come_from_the_layout() -> None:
    diagram = text_cases.small()
    diagram.edges[0].points = [(0, 0), (10, 20), (30, 20), (40, 40)]
    found = cells(write([diagram]))

    edge = next(c for _, c in found.values() if c.attrib.get("value") == "attached to")
    points = edge.findall("mxGeometry/Array/mxPoint")
    assert [(p.attrib["x"], p.attrib["y"]) for p in points] == [
        ("10", "20"),
        ("30", "20"),
    ]


def test_the_real_layout_keeps_every_cell_inside_its_container() -> None:
    pages = build_diagrams(
        generate_demo_inventory(600, seed=3), RenderOptions(view="network")
    )
    found = cells(write(pages))

    sizes = {}
    for cell_id, (_, cell) in found.items():
        geometry = cell.find("mxGeometry")
        if geometry is not None and cell.attrib.get("vertex") == "1":
            sizes[cell_id] = tuple(
                float(geometry.attrib[k]) for k in ("x", "y", "width", "height")
            )
    checked = 0
    for cell_id, (x, y, width, height) in sizes.items():
        parent = found[cell_id][1].attrib["parent"]
        if parent not in sizes:
            continue
        _, _, parent_width, parent_height = sizes[parent]
        assert x >= 0 and x + width <= parent_width + 0.5, cell_id
        assert y >= 0 and y + height <= parent_height + 0.5, cell_id
        checked += 1
    assert checked > 100
