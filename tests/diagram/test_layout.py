"""Layout properties: no overlaps, children inside parents, determinism."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudviz.diagram.layout import pack_shelves, route_edge
from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import VIEWS, RenderOptions
from cloudviz.diagram.render import build_diagrams
from cloudviz.sources.demo import generate_demo_inventory
from tests.diagram.estates import (
    assert_children_inside,
    assert_edges_attached,
    assert_no_overlaps,
    random_inventory,
)
from tests.diagram.hostile import hostile_inventory


def check_geometry(pages: list[Diagram]) -> None:
    for page in pages:
        assert_no_overlaps(page)
        assert_children_inside(page)
        assert_edges_attached(page)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(("size", "seed"), [(1, 1), (60, 3), (700, 9)])
def test_demo_estates_lay_out_without_overlaps(view: str, size: int, seed: int) -> None:
    check_geometry(
        build_diagrams(generate_demo_inventory(size, seed), RenderOptions(view=view))
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(1, 150),
    view=st.sampled_from(VIEWS),
    collapse=st.sampled_from((None, "kind", "tag:app")),
    group_by=st.sampled_from(("none", "resource-group")),
)
def test_random_estates_lay_out_without_overlaps(
    seed: int, size: int, view: str, collapse: str | None, group_by: str
) -> None:
    options = RenderOptions(
        view=view,
        collapse=collapse,
        group_by=group_by,  # type: ignore[arg-type]
    )
    check_geometry(build_diagrams(random_inventory(seed, size), options))


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10**6), size=st.integers(2, 200), per_page=st.integers(1, 40)
)
def test_random_paginated_estates_lay_out_without_overlaps(
    seed: int, size: int, per_page: int
) -> None:
    options = RenderOptions(paginate=True, max_nodes_per_page=per_page)
    check_geometry(build_diagrams(random_inventory(seed, size), options))


def test_hostile_estate_lays_out_without_overlaps() -> None:
    for view in VIEWS:
        check_geometry(build_diagrams(hostile_inventory(), RenderOptions(view=view)))


def test_same_input_gives_the_same_picture() -> None:
    inventory = generate_demo_inventory(400, 5)
    first = build_diagrams(inventory, RenderOptions())
    second = build_diagrams(generate_demo_inventory(400, 5), RenderOptions())

    assert first == second


def test_picture_does_not_depend_on_resource_order() -> None:
    inventory = generate_demo_inventory(300, 2)
    shuffled = generate_demo_inventory(300, 2)
    shuffled.resources.reverse()

    first = build_diagrams(inventory, RenderOptions())[0]
    second = build_diagrams(shuffled, RenderOptions())[0]

    assert first.groups == second.groups
    assert first.nodes == second.nodes


def test_shelves_never_overlap() -> None:
    sizes = [(float(w), float(h)) for w, h in ((300, 40), (20, 500), (80, 80)) * 7]
    positions, width, height = pack_shelves(sizes)

    boxes = [
        (x, y, x + w, y + h) for (x, y), (w, h) in zip(positions, sizes, strict=True)
    ]
    for i, a in enumerate(boxes):
        assert a[2] <= width and a[3] <= height
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_neighbours_are_joined_by_one_straight_segment() -> None:
    assert route_edge((0, 0, 100, 50), (124, 0, 224, 50), 10) == [
        (100, 25),
        (124, 25),
    ]


def test_distant_nodes_in_a_row_are_joined_through_the_gutter_above() -> None:
    points = route_edge((0, 100, 100, 150), (500, 100, 600, 150), 10)

    assert points == [(50, 100), (50, 90), (550, 90), (550, 100)]
