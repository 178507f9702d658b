"""The corpus of diagrams every text writer is run on, and every output of
which goes through the real Mermaid parser and Graphviz's parser."""

from __future__ import annotations

from dataclasses import replace

from cloudviz.diagram.model import Diagram, Edge, Group, Node
from cloudviz.sources.demo import generate_demo_inventory
from tests.diagram.text_corpus import (
    diagram_from_inventory,
    hostile_inventory,
    lay_out,
)
from tests.factories import small_network


def small() -> Diagram:
    return diagram_from_inventory(small_network())


def hostile() -> Diagram:
    return diagram_from_inventory(hostile_inventory())


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


def corpus() -> dict[str, list[Diagram]]:
    """Every case as the list of pages a writer is given."""
    return {
        "small": [small()],
        "hostile": [hostile()],
        "changed": [changed()],
        "demo": [demo()],
        "empty": [empty()],
        "dependencies": [dependencies()],
        "group_edges": [group_edges()],
        "paged": paged(),
    }
