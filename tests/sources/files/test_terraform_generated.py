"""A generated multi-cloud estate, as a raw state and as `show -json`.

The benchmark's generator (`benchmarks/tfstate_generator.py`) writes the demo
estate the way the three providers store it. Importing it checks the importer
at a realistic mix of types, and that its two reading paths (the raw state's
fast path and `show -json`'s nested modules) agree resource for resource.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cloudviz.inventory.codec import inventory_from_dict
from cloudviz.inventory.model import Inventory
from cloudviz.sources.demo import generate_demo_inventory
from cloudviz.sources.files.registry import import_files

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from tfstate_generator import write_show_json, write_tfstate


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Inventory, Inventory]:
    estate = generate_demo_inventory(400, seed=3)
    folder = tmp_path_factory.mktemp("generated")
    raw, show = folder / "terraform.tfstate", folder / "show.json"
    with raw.open("w") as stream:
        write_tfstate(estate, stream)
    with show.open("w") as stream:
        write_show_json(estate, stream)
    return import_files([raw]), import_files([show])


def test_every_resource_is_imported_with_its_place(
    imported: tuple[Inventory, Inventory],
) -> None:
    raw, _ = imported
    inventory_from_dict(raw.to_dict())
    assert len(raw.resources) == 400
    assert {r.provider for r in raw.resources} == {"aws", "azure", "gcp"}
    vms = [r for r in raw.resources if r.kind == "compute.vm"]
    by_id = raw.by_id()
    assert vms
    for vm in vms:
        assert vm.parent is not None, vm.id
        assert by_id[vm.parent].kind == "network.subnet"
        assert vm.account and vm.region
    # The demo has Azure SQL databases but not their servers: each database's
    # `server_id` is the only reference naming something outside the file.
    databases = [r for r in raw.resources if r.type == "azurerm_mssql_database"]
    assert raw.source_detail.get("references_outside_file", 0) == len(databases)


def test_nics_and_security_groups_are_related(
    imported: tuple[Inventory, Inventory],
) -> None:
    raw, _ = imported
    kinds = {r.id: r.kind for r in raw.resources}
    found = {
        (kinds[rel.source], rel.type, kinds[rel.target]) for rel in raw.relationships
    }
    assert ("network.nic", "attached_to", "compute.vm") in found
    assert ("compute.vm", "secured_by", "network.security_group") in found


def test_raw_state_and_show_json_agree(imported: tuple[Inventory, Inventory]) -> None:
    raw, show = imported
    # show -json lists resources module by module: compare them by id.
    assert {r.id: r.to_dict() for r in raw.resources} == {
        r.id: r.to_dict() for r in show.resources
    }
    assert set(raw.relationships) == set(show.relationships)
