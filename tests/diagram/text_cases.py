"""The corpus of diagrams every text writer is run on, and every output of
which goes through the real Mermaid parser and Graphviz's parser."""

from __future__ import annotations

from dataclasses import replace

from cloudviz.diagram.model import Diagram, Edge, Group, Node
from cloudviz.diagram.options import VIEWS, RenderOptions
from cloudviz.diagram.render import build_diagrams
from cloudviz.sources.demo import generate_demo_inventory
from tests.diagram.hostile import hostile_inventory as core_hostile_inventory
from tests.diagram.text_corpus import (
    HOSTILE_NAMES,
    diagram_from_inventory,
    hostile_inventory,
    lay_out,
)
from tests.factories import small_network


def small() -> Diagram:
    return diagram_from_inventory(small_network())


def hostile() -> Diagram:
    """Hostile names everywhere, relationship types included: the codec
    refuses unknown types, but the text writers do not rely on that."""
    diagram = diagram_from_inventory(hostile_inventory())
    for edge, name in zip(diagram.edges, HOSTILE_NAMES, strict=False):
        edge.type = name
    return diagram


def changed() -> Diagram:
    """A diff: an added VPC, a removed VM, a changed NIC and a new edge."""
    return diagram_from_inventory(
        small_network(),
        status={
            "vpc-1": "added",
            "i-1": "removed",
            "eni-1": "changed",
            "eni-1->i-1": "added",
            "i-1->sg-1": "removed",
        },
    )


def demo(resources: int = 300) -> Diagram:
    return diagram_from_inventory(generate_demo_inventory(resources, seed=7))


def empty() -> Diagram:
    return Diagram(title="nothing", view="architecture")


def dependencies() -> Diagram:
    """No groups at all, edges to and from a group-less hub, a collapsed
    node and a stub that points to another page."""
    nodes = [
        Node(f"n{i}", f"svc-{i}", "compute.function", "gcp", detail="python3.12")
        for i in range(12)
    ]
    nodes.append(Node("many", "40 × compute.vm", "compute.vm", "azure", count=40))
    nodes.append(Node("stub", "db-main", "database.sql", "aws", page_ref=2))
    edges = [Edge(f"e{i}", "n0", f"n{i}", "depends_on") for i in range(1, 12)]
    edges += [Edge("e-many", "many", "stub", "uses"), Edge("e-x", "n1", "gone", "uses")]
    diagram = Diagram(title="deps", view="dependencies", nodes=nodes, edges=edges)
    lay_out(diagram)
    return diagram


def group_edges() -> Diagram:
    """Edges between groups, and from a node to the group around it."""
    groups = [
        Group("p", "AWS", "provider", None, "aws"),
        Group("v1", "vpc-a", "network", "p", "aws"),
        Group("v2", "vpc-b", "network", "p", "aws"),
    ]
    nodes = [Node("gw", "igw", "network.gateway", "aws", group="v1")]
    edges = [
        Edge("peer", "v1", "v2", "peers_with"),
        Edge("attach", "gw", "v1", "attached_to"),
    ]
    diagram = Diagram(
        title="groups", view="network", groups=groups, nodes=nodes, edges=edges
    )
    lay_out(diagram)
    return diagram


def paged() -> list[Diagram]:
    first, second = small(), changed()
    return [
        replace(first, page=1, pages=2, title="page one"),
        replace(second, page=2, pages=2, title="page two"),
    ]


def pipeline_cases() -> dict[str, list[Diagram]]:
    """What the real pipeline hands the writers: every view of the hostile
    estate and of a demo estate, a diff, collapsed and paginated renders."""
    hostile_estate = core_hostile_inventory()
    estate = generate_demo_inventory(400, seed=11)
    older = generate_demo_inventory(360, seed=11)
    older.resources = older.resources[:-30]
    cases: dict[str, list[Diagram]] = {}
    for view in VIEWS:
        options = RenderOptions(view=view)
        cases[f"hostile-{view}"] = build_diagrams(hostile_estate, options)
        cases[f"demo-{view}"] = build_diagrams(estate, options)
    cases["demo-diff"] = build_diagrams(estate, RenderOptions(), diff_against=older)
    cases["hostile-diff"] = build_diagrams(
        hostile_estate, RenderOptions(), diff_against=small_network()
    )
    cases["demo-collapsed"] = build_diagrams(estate, RenderOptions(collapse="kind"))
    cases["hostile-collapsed-tag"] = build_diagrams(
        hostile_estate, RenderOptions(collapse="tag:env")
    )
    cases["demo-paged"] = build_diagrams(
        estate, RenderOptions(paginate=True, max_nodes_per_page=60)
    )
    cases["hostile-paged"] = build_diagrams(
        hostile_estate, RenderOptions(paginate=True, max_nodes_per_page=5)
    )
    return cases


def corpus() -> dict[str, list[Diagram]]:
    """Every case as the list of pages a writer is given."""
    return {
        **pipeline_cases(),
        "small": [small()],
        "hostile": [hostile()],
        "changed": [changed()],
        "demo": [demo()],
        "empty": [empty()],
        "dependencies": [dependencies()],
        "group_edges": [group_edges()],
        "paged": paged(),
    }
