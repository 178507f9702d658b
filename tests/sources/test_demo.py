import pytest

from cloudviz.errors import ValidationError
from cloudviz.inventory.codec import dumps_inventory, loads_inventory
from cloudviz.sources.demo import generate_demo_inventory


def test_demo_is_deterministic_by_seed_and_exact_in_size():
    first = generate_demo_inventory(500, seed=3)
    assert len(first.resources) == 500
    assert dumps_inventory(first) == dumps_inventory(generate_demo_inventory(500, 3))
    assert dumps_inventory(first) != dumps_inventory(generate_demo_inventory(500, 4))


def test_demo_has_the_shapes_real_estates_have():
    inventory = generate_demo_inventory(2000, seed=1)
    kinds = {resource.kind for resource in inventory.resources}
    assert {
        "network.vpc",
        "network.subnet",
        "compute.vm",
        "network.nic",
        "network.security_group",
        "network.load_balancer",
        "database.sql",
        "storage.bucket",
        "compute.function",
    } <= kinds
    assert {resource.provider for resource in inventory.resources} == {
        "aws",
        "azure",
        "gcp",
    }
    types = {rel.type for rel in inventory.relationships}
    assert {"attached_to", "secured_by", "targets", "peers_with", "uses"} <= types
    # valid by the file format's own rules
    loads_inventory(dumps_inventory(inventory))


def test_demo_refuses_nonsense_sizes():
    with pytest.raises(ValidationError):
        generate_demo_inventory(0)
