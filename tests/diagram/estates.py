"""Random estates for property tests, and the geometric checks on layouts."""

from __future__ import annotations

import random
from itertools import pairwise

from cloudviz.diagram.model import Diagram
from cloudviz.inventory.kinds import KINDS, RELATIONSHIP_TYPES
from cloudviz.inventory.model import Inventory, Relationship, Resource
from tests.factories import make_inventory

Box = tuple[float, float, float, float]


def random_inventory(seed: int, size: int) -> Inventory:
    """`size` resources with random providers, places, parents (networks,
    subnets, and sometimes other resources) and relationships."""
    rng = random.Random(seed)
    resources: list[Resource] = []
    containers: list[Resource] = []
    for index in range(size):
        provider = rng.choice(("aws", "azure", "gcp", "other"))
        kind = rng.choice((*KINDS, "network.vpc", "network.subnet", "compute.vm"))
        parent = None
        if containers and rng.random() < 0.7:
            parent = rng.choice(containers).id
        resource = Resource(
            id=f"r{index}",
            provider=provider,
            type="T",
            kind=kind,
            name=rng.choice(("web", "db", "x" * rng.randint(1, 60), "名前"))
            + str(index),
            account=rng.choice(("a1", "a2", None)),
            region=rng.choice(("r1", "r2", "r3", None)),
            group=rng.choice(("g1", "g2", None)),
            parent=parent,
            tags={"app": rng.choice(("a", "b"))} if rng.random() < 0.5 else {},
            properties={"instance_type": "t3"} if rng.random() < 0.5 else {},
        )
        resources.append(resource)
        if kind in ("network.vpc", "network.subnet") or rng.random() < 0.05:
            containers.append(resource)
    relationships = {
        Relationship(
            rng.choice(resources).id,
            rng.choice(resources).id,
            rng.choice(RELATIONSHIP_TYPES),
        )
        for _ in range(size if size > 1 else 0)
    }
    return make_inventory(resources, sorted(relationships, key=repr))


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def boxes_by_container(diagram: Diagram) -> dict[str | None, list[tuple[str, Box]]]:
    """Every group and node box, keyed by the box that holds it."""
    siblings: dict[str | None, list[tuple[str, Box]]] = {}
    for g in diagram.groups:
        box = (g.x, g.y, g.x + g.width, g.y + g.height)
        siblings.setdefault(g.parent, []).append((g.id, box))
    for n in diagram.nodes:
        box = (n.x, n.y, n.x + n.width, n.y + n.height)
        siblings.setdefault(n.group, []).append((n.id, box))
    return siblings


def assert_no_overlaps(diagram: Diagram) -> None:
    """No two boxes or nodes that share a container overlap (sweep by x)."""
    for container, items in boxes_by_container(diagram).items():
        items.sort(key=lambda item: item[1][0])
        active: list[tuple[str, Box]] = []
        for item in items:
            active = [a for a in active if a[1][2] > item[1][0]]
            for other in active:
                assert not _overlap(other[1], item[1]), (container, other, item)
            active.append(item)


def assert_children_inside(diagram: Diagram) -> None:
    """Every group and node lies inside its container, and on the canvas."""
    boxes = {g.id: (g.x, g.y, g.x + g.width, g.y + g.height) for g in diagram.groups}
    canvas = (0.0, 0.0, diagram.width, diagram.height)
    for container, items in boxes_by_container(diagram).items():
        outer = boxes[container] if container is not None else canvas
        for item_id, box in items:
            assert outer[0] <= box[0] and box[2] <= outer[2], (container, item_id)
            assert outer[1] <= box[1] and box[3] <= outer[3], (container, item_id)
            assert box[2] > box[0] and box[3] > box[1], item_id


def assert_edges_attached(diagram: Diagram) -> None:
    """Each edge starts on its source's border and ends on its target's."""
    boxes = {g.id: (g.x, g.y, g.x + g.width, g.y + g.height) for g in diagram.groups}
    boxes.update(
        {n.id: (n.x, n.y, n.x + n.width, n.y + n.height) for n in diagram.nodes}
    )
    for edge in diagram.edges:
        assert len(edge.points) >= 2, edge
        for (x, y), end in (
            (edge.points[0], edge.source),
            (edge.points[-1], edge.target),
        ):
            x0, y0, x1, y1 = boxes[end]
            on_side = x in (x0, x1) and y0 <= y <= y1
            on_top = y in (y0, y1) and x0 <= x <= x1
            assert on_side or on_top, (edge, end)
        for (ax, ay), (bx, by) in pairwise(edge.points):
            assert ax == bx or ay == by, edge  # orthogonal segments
