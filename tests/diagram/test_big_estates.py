"""Collapsing alike resources, paginating, and diff colouring."""

from __future__ import annotations

import pytest

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import build_diagrams
from cloudviz.errors import ValidationError
from cloudviz.inventory.model import Relationship
from cloudviz.sources.demo import generate_demo_inventory
from tests.factories import make_inventory, make_resource, small_network


def subnet_with_vms(count: int, **tags: str):  # type: ignore[no-untyped-def]
    subnet = make_resource(id="s", kind="network.subnet", name="s", type="Subnet")
    vms = [
        make_resource(
            id=f"vm{i}",
            name=f"vm-{i}",
            parent="s",
            tags={"app": "web" if i % 4 else "db", **tags},
        )
        for i in range(count)
    ]
    lb = make_resource(id="lb", kind="network.load_balancer", name="lb", parent="s")
    rels = [Relationship("lb", vm.id, "targets") for vm in vms]
    return make_inventory([subnet, lb, *vms], rels)


def test_collapse_kind_turns_forty_vms_into_one_node() -> None:
    page = build_diagrams(subnet_with_vms(40), RenderOptions(collapse="kind"))[0]

    vm_nodes = [n for n in page.nodes if n.kind == "compute.vm"]
    assert len(vm_nodes) == 1
    assert vm_nodes[0].label == "40 × compute.vm"
    assert vm_nodes[0].count == 40
    assert vm_nodes[0].detail == "t3.small"  # all alike, so it is shown
    assert "vm-0" in vm_nodes[0].details["members"]
    (edge,) = page.edges
    assert edge.count == 40 and edge.type == "targets"
    assert any("Collapsed 40 resources into 1 nodes" in n for n in page.notes)


def test_collapse_by_tag_keeps_values_apart() -> None:
    page = build_diagrams(subnet_with_vms(40), RenderOptions(collapse="tag:app"))[0]

    labels = sorted(n.label for n in page.nodes)
    assert labels == ["10 × compute.vm (app=db)", "30 × compute.vm (app=web)", "lb"]


def test_collapse_rejects_unknown_modes() -> None:
    with pytest.raises(ValidationError, match="kind or tag:KEY"):
        build_diagrams(small_network(), RenderOptions(collapse="size"))


def test_paginate_splits_into_pages_with_an_index_and_stubs() -> None:
    inventory = generate_demo_inventory(600, 4)
    options = RenderOptions(paginate=True, max_nodes_per_page=60)
    pages = build_diagrams(inventory, options)
    whole = build_diagrams(inventory, RenderOptions())[0]

    index, *content = pages
    assert index.page == 1 and all(p.pages == len(pages) for p in pages)
    assert [n.page_ref for n in index.nodes] == [p.page for p in content]
    own = [[n for n in p.nodes if n.page_ref is None] for p in content]
    assert all(0 < len(nodes) <= 60 for nodes in own)
    assert sorted(n.id for nodes in own for n in nodes) == sorted(
        n.id for n in whole.nodes
    )
    stubs = [n for p in content for n in p.nodes if n.page_ref is not None]
    assert stubs and all(2 <= s.page_ref <= len(pages) for s in stubs)  # type: ignore[operator]
    assert any("pages" in note for note in index.notes)


def test_page_option_lays_out_one_page_only() -> None:
    options = RenderOptions(paginate=True, max_nodes_per_page=50, page=3)
    (page,) = build_diagrams(generate_demo_inventory(400, 4), options)

    assert page.page == 3


def test_page_out_of_range_is_a_validation_error() -> None:
    options = RenderOptions(paginate=True, max_nodes_per_page=50, page=99)
    with pytest.raises(ValidationError, match="--page 99"):
        build_diagrams(generate_demo_inventory(200, 4), options)


def test_small_estate_stays_on_one_page() -> None:
    pages = build_diagrams(small_network(), RenderOptions(paginate=True))

    assert len(pages) == 1
    assert any("fit on one page" in note for note in pages[0].notes)


def test_diff_marks_added_removed_and_changed() -> None:
    old = small_network()
    new = small_network()
    new.resources = [r for r in new.resources if r.id != "sg-1"]
    new.relationships = [r for r in new.relationships if r.target != "sg-1"]
    new.resources[2].properties = {"instance_type": "m6i.large"}  # the VM
    new.resources.append(make_resource(id="i-2", name="web-2", parent="subnet-1"))
    new.relationships.append(Relationship("i-2", "i-1", "depends_on"))

    page = build_diagrams(new, RenderOptions(), diff_against=old)[0]

    status = {n.label: n.status for n in page.nodes}
    assert status == {"web-1": "changed", "web-2": "added", "g": "removed"}
    changed = next(n for n in page.nodes if n.label == "web-1")
    assert "t3.small → m6i.large" in changed.details["changed"]
    assert [(e.type, e.status) for e in page.edges] == [("depends_on", "added")]
    assert page.diff
    assert any(
        note.startswith("Changes: 1 added, 1 removed, 1 changed") for note in page.notes
    )


def test_removed_relationships_are_drawn_from_the_old_inventory() -> None:
    old = small_network()
    old.relationships.append(Relationship("i-1", "sg-1", "depends_on"))
    page = build_diagrams(small_network(), RenderOptions(), old)[0]

    assert [(e.type, e.status) for e in page.edges] == [("depends_on", "removed")]
