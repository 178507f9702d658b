"""What each view holds: boxes, nodes and edges of an inventory."""

from __future__ import annotations

from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import build_diagrams
from cloudviz.diagram.views import build_view
from cloudviz.inventory.model import Relationship
from tests.factories import make_inventory, make_resource, small_network


def view(inventory, **options) -> Diagram:  # type: ignore[no-untyped-def]
    return build_view(inventory, RenderOptions(**options))


def chain(diagram: Diagram, element_id: str) -> list[str]:
    """Levels of the boxes around an element, outermost first."""
    groups = {g.id: g for g in diagram.groups}
    nodes = {n.id: n for n in diagram.nodes}
    parent = (
        nodes[element_id].group if element_id in nodes else groups[element_id].parent
    )
    levels = []
    while parent is not None:
        levels.append(groups[parent].level)
        parent = groups[parent].parent
    return list(reversed(levels))


def node_named(diagram: Diagram, label: str) -> str:
    return next(n.id for n in diagram.nodes if n.label == label)


def test_architecture_nests_provider_account_region_network_subnet() -> None:
    diagram = view(small_network())

    assert chain(diagram, node_named(diagram, "web-1")) == [
        "provider",
        "account",
        "region",
        "network",
        "subnet",
    ]
    assert chain(diagram, node_named(diagram, "g")) == [
        "provider",
        "account",
        "region",
        "network",
    ]
    labels = {g.level: g.label for g in diagram.groups}
    assert labels["provider"] == "AWS"
    assert labels["account"] == "Account 123456789012"
    assert labels["region"] == "eu-west-1"


def test_architecture_folds_nics_and_lists_security_groups() -> None:
    diagram = view(small_network())

    assert "n" not in {n.label for n in diagram.nodes}  # the NIC
    vm = next(n for n in diagram.nodes if n.label == "web-1")
    assert vm.details["network interfaces"] == "n"
    assert vm.details["secured by"] == "g"
    assert diagram.edges == []
    assert any("network interfaces are shown" in note for note in diagram.notes)


def test_resources_outside_networks_sit_in_their_region() -> None:
    bucket = make_resource(
        id="b", kind="storage.bucket", name="logs", region="us-east-1"
    )
    diagram = view(make_inventory([bucket]))

    assert chain(diagram, diagram.nodes[0].id) == ["provider", "account", "region"]


def test_group_by_resource_group_adds_a_level() -> None:
    vm = make_resource(id="vm", provider="azure", group="prod-rg", region="westeurope")
    plain = view(make_inventory([vm]))
    grouped = view(make_inventory([vm]), group_by="resource-group")

    assert "resource_group" not in chain(plain, plain.nodes[0].id)
    assert chain(grouped, grouped.nodes[0].id) == [
        "provider",
        "account",
        "resource_group",
        "region",
    ]
    assert any(g.label == "Resource group prod-rg" for g in grouped.groups)


def test_network_view_draws_nics_security_groups_and_their_links() -> None:
    bucket = make_resource(id="bucket", kind="storage.bucket", name="logs")
    inventory = small_network()
    inventory.resources.append(bucket)
    diagram = view(inventory, view="network")

    assert {n.label for n in diagram.nodes} == {"web-1", "n", "g"}
    assert {e.type for e in diagram.edges} == {"attached_to", "secured_by"}


def test_dependencies_view_has_no_boxes() -> None:
    diagram = view(small_network(), view="dependencies")

    assert diagram.groups == []
    assert {n.label for n in diagram.nodes} == {"web-1", "n", "g"}
    assert len(diagram.edges) == 2


def test_containment_edges_are_left_to_the_nesting() -> None:
    inventory = small_network()
    inventory.relationships.append(Relationship("vpc-1", "i-1", "contains"))
    inventory.relationships.append(Relationship("i-1", "vpc-1", "attached_to"))
    diagram = view(inventory)

    assert diagram.edges == []


def test_edges_between_a_node_and_a_box_outside_it_are_drawn() -> None:
    inventory = small_network()
    function = make_resource(id="fn", kind="compute.function", name="f")
    inventory.resources.append(function)
    inventory.relationships.append(Relationship("fn", "vpc-1", "attached_to"))
    diagram = view(inventory)

    vpc_group = next(g.id for g in diagram.groups if g.level == "network")
    assert [(e.source, e.target) for e in diagram.edges] == [
        (node_named(diagram, "f"), vpc_group)
    ]


def test_parent_cycles_do_not_hang() -> None:
    a = make_resource(id="a", kind="network.vpc", name="a", parent="b")
    b = make_resource(id="b", kind="network.subnet", name="b", parent="a")
    pages = build_diagrams(make_inventory([a, b]), RenderOptions())

    assert {g.label for g in pages[0].groups} >= {"a", "b"}


def test_ids_are_stable_and_plain() -> None:
    first, second = view(small_network()), view(small_network())

    assert [n.id for n in first.nodes] == [n.id for n in second.nodes]
    for element in (*first.nodes, *first.groups):
        assert element.id.isalnum()


def test_network_view_bundles_a_box_full_of_security_group_links() -> None:
    inventory = small_network()
    for index in range(2, 5):
        inventory.resources.append(
            make_resource(id=f"i-{index}", name=f"web-{index}", parent="subnet-1")
        )
        inventory.relationships.append(Relationship(f"i-{index}", "sg-1", "secured_by"))
    diagram = view(inventory, view="network")

    subnet = next(g.id for g in diagram.groups if g.level == "subnet")
    secured = [e for e in diagram.edges if e.type == "secured_by"]
    assert [(e.source, e.count) for e in secured] == [(subnet, 4)]
    vm = next(n for n in diagram.nodes if n.label == "web-3")
    assert vm.details["secured by"] == "g"
    assert any("drawn as one line from the box" in note for note in diagram.notes)
