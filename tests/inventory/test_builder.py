from cloudviz.inventory.builder import InventoryBuilder, casefold_id
from cloudviz.inventory.redaction import strip_secrets
from tests.factories import make_resource


def test_secrets_never_enter_properties():
    builder = InventoryBuilder("t", "test")
    builder.add(
        make_resource(
            properties={
                "master_user_password": "x",
                "administratorLoginPassword": "x",
                "connection_string": "x",
                "environment": {"variables": {"A": "1"}},
                "access_key": "x",
                "nested": {"client_secret": "x", "keep": 1},
                "instance_type": "t3.small",
                "key_name": "deploy",
            }
        )
    )
    props = builder.build().resources[0].properties
    assert props == {
        "nested": {"keep": 1},
        "instance_type": "t3.small",
        "key_name": "deploy",
    }


def test_same_id_twice_merges_and_unknown_kind_becomes_other():
    builder = InventoryBuilder("t", "test")
    builder.add(make_resource(tags={"a": "1"}, kind="compute.vm"))
    builder.add(make_resource(tags={"b": "2"}, kind="nope", zone="eu-west-1a"))
    (resource,) = builder.build().resources
    assert resource.tags == {"a": "1", "b": "2"}
    assert resource.zone == "eu-west-1a"
    assert resource.kind == "compute.vm"


def test_case_insensitive_ids_resolve_and_dangling_edges_are_counted():
    builder = InventoryBuilder("t", "azure", id_key=casefold_id)
    builder.add(make_resource(id="/subscriptions/S/resourceGroups/RG/x/vnet"))
    builder.add(
        make_resource(
            id="/subscriptions/s/resourcegroups/rg/x/vm",
            parent="/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/X/VNET",
        )
    )
    builder.relate(
        "/subscriptions/s/resourceGroups/rg/x/VM",
        "/subscriptions/S/resourceGroups/RG/x/vnet",
        "uses",
    )
    builder.relate("/subscriptions/s/x/vm", "/nowhere", "uses")
    inventory = builder.build()
    assert inventory.resources[1].parent == "/subscriptions/S/resourceGroups/RG/x/vnet"
    assert len(inventory.relationships) == 1
    assert inventory.source_detail["unresolved_references"]["relationships"] == 1


def test_strip_secrets_walks_lists():
    assert strip_secrets([{"password": 1, "a": [{"token": 2, "b": 3}]}]) == [
        {"a": [{"b": 3}]}
    ]
