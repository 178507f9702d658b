"""The Resource Graph row transform, on hand-written rows of an invented estate."""

from __future__ import annotations

import json

import pytest

from cloudviz.errors import ValidationError
from cloudviz.inventory.model import Inventory
from cloudviz.sources.azure.transform import transform_rows
from tests.sources.azure.conftest import HUB, SHOP, graph_rows

P = f"/subscriptions/{SHOP}/resourceGroups/shop-prod-rg/providers"
VNET = f"{P}/Microsoft.Network/virtualNetworks/shop-vnet"
HUBNET = (
    f"/subscriptions/{HUB}/resourceGroups/net-hub-rg/providers/"
    "Microsoft.Network/virtualNetworks/hub-vnet"
)


def by_name(inventory: Inventory) -> dict[str, object]:
    return {resource.name: resource for resource in inventory.resources}


def edges(inventory: Inventory) -> set[tuple[str, str, str]]:
    names = {resource.id: resource.name for resource in inventory.resources}
    return {
        (names[rel.source], rel.type, names[rel.target])
        for rel in inventory.relationships
    }


@pytest.fixture(scope="module")
def estate() -> Inventory:
    return transform_rows(graph_rows(), "shop")


def test_subnets_come_out_of_their_vnet_row(estate):
    resources = by_name(estate)
    web = resources["web"]
    assert web.kind == "network.subnet"
    assert web.parent == VNET
    assert web.type == "Microsoft.Network/virtualNetworks/subnets"
    assert web.properties["cidr"] == "10.40.1.0/24"
    assert web.account == SHOP and web.region == "westeurope"
    assert resources["apps"].properties["delegations"] == ["Microsoft.Web/serverFarms"]
    assert resources["GatewaySubnet"].parent == HUBNET


def test_peerings_match_ids_whatever_their_case(estate):
    # The peering names HUB-VNET, the hub's own row says hub-vnet.
    assert ("shop-vnet", "peers_with", "hub-vnet") in edges(estate)
    assert ("hub-vnet", "peers_with", "shop-vnet") in edges(estate)
    shop = by_name(estate)["shop-vnet"]
    assert shop.properties["peerings"][0]["state"] == "Connected"
    assert shop.properties["cidr"] == "10.40.0.0/16"


def test_nics_and_vms_sit_in_their_subnet(estate):
    resources = by_name(estate)
    web_subnet = resources["web"].id
    assert resources["web-vm-1-nic"].parent == web_subnet
    assert resources["web-vm-1"].parent == web_subnet
    assert resources["web-vm-1"].zone == "1"
    assert resources["web-vm-1"].properties["instance_type"] == "Standard_D2s_v5"
    assert ("web-vm-1-nic", "attached_to", "web-vm-1") in edges(estate)
    assert ("web-vm-1-os", "attached_to", "web-vm-1") in edges(estate)


def test_security_groups(estate):
    assert ("web", "secured_by", "web-nsg") in edges(estate)
    nsg = by_name(estate)["web-nsg"]
    assert nsg.parent == VNET  # it guards subnets of that VNet only
    assert nsg.properties == {
        "provisioning_state": "Succeeded",
        "ingress_rules": 2,
        "egress_rules": 1,
    }


def test_load_balancer_targets_the_vms_behind_its_pool(estate):
    found = edges(estate)
    assert ("shop-web-lb", "targets", "web-vm-1") in found
    assert ("shop-web-lb", "targets", "web-vm-2") in found
    assert ("shop-web-lb-pip", "attached_to", "shop-web-lb") in found


def test_platform_services_find_their_subnets(estate):
    resources = by_name(estate)
    found = edges(estate)
    assert resources["shop-aks"].parent == resources["aks"].id
    assert resources["shop-aks"].properties["node_pools"][0]["count"] == 3
    assert ("shop-aks", "uses", "shop-aks-id") in found
    assert resources["hub-vpn-gw"].parent == resources["GatewaySubnet"].id
    assert ("hub-vpn-gw-pip", "attached_to", "hub-vpn-gw") in found
    assert resources["shop-orders-func"].kind == "compute.function"
    assert resources["shop-web"].kind == "container.service"
    assert ("shop-orders-func", "attached_to", "apps") in found
    assert ("shop-web", "depends_on", "shop-plan") in found


def test_databases_and_private_endpoints(estate):
    resources = by_name(estate)
    found = edges(estate)
    assert resources["orders"].parent == resources["shop-sql"].id
    assert resources["orders"].kind == "database.sql"
    assert "master" not in resources
    assert estate.source_detail["skipped"] == {"system_databases": 1}
    assert resources["shop-sql-pe"].parent == resources["data"].id
    assert ("shop-sql-pe", "routes_to", "shop-sql") in found
    assert ("shop-sql-pe.nic.6f1e", "attached_to", "shop-sql-pe") in found


def test_resource_groups_and_unknown_types(estate):
    resources = by_name(estate)
    assert resources["shop-prod-rg"].kind == "management.group"
    assert resources["shop-prod-rg"].group == "shop-prod-rg"
    assert resources["shop-insights"].kind == "other"
    assert resources["shop-plan"].kind == "other"


def test_no_secret_enters(estate):
    text = json.dumps(estate.to_dict())
    for secret in (
        "N0t-a-real-one",
        "I2Nsb3VkLWNvbmZpZw",
        "hunter2",
        "AccountKey",
        "InstrumentationKey",
        "adminUsername",
        "servicePrincipalProfile",
    ):
        assert secret not in text


def test_row_order_does_not_matter(estate):
    reordered = transform_rows(list(reversed(graph_rows())), "shop")
    assert edges(reordered) == edges(estate)
    parents = {r.name: r.parent for r in estate.resources}
    assert {r.name: r.parent for r in reordered.resources} == parents


def test_every_reference_resolves(estate):
    assert "unresolved_references" not in estate.source_detail
    ids = {resource.id for resource in estate.resources}
    assert all(r.source in ids and r.target in ids for r in estate.relationships)


def test_rows_without_properties_read_what_the_id_tells():
    row = {
        "id": f"{P.upper()}/Microsoft.Sql/servers/shop-sql/databases/orders",
        "name": "orders",
        "type": "Microsoft.Sql/servers/databases",
        "location": "westeurope",
        "properties": None,
    }
    server = {
        "id": f"{P}/Microsoft.Sql/servers/shop-sql",
        "type": "Microsoft.Sql/servers",
    }
    inventory = transform_rows([row, server], "listing")
    db = by_name(inventory)["orders"]
    assert db.account == SHOP.upper()
    assert db.group == "SHOP-PROD-RG"
    assert db.parent == server["id"]
    assert by_name(inventory)["shop-sql"].name == "shop-sql"  # name from the id


def test_pool_members_without_a_vm_are_targeted_as_they_are():
    lb = f"{P}/Microsoft.Network/loadBalancers/batch-lb"
    vmss = f"{P}/Microsoft.Compute/virtualMachineScaleSets/batch"
    rows = [
        {
            "id": lb,
            "type": "microsoft.network/loadbalancers",
            "properties": {
                "backendAddressPools": [
                    {
                        "id": f"{lb}/backendAddressPools/batch",
                        "properties": {
                            "backendIPConfigurations": [
                                {
                                    "id": f"{vmss}/virtualMachines/0/networkInterfaces"
                                    "/nic/ipConfigurations/ip"
                                }
                            ]
                        },
                    }
                ]
            },
        },
        {
            "id": vmss,
            "type": "microsoft.compute/virtualmachinescalesets",
            "properties": {
                "virtualMachineProfile": {
                    "networkProfile": {
                        "networkInterfaceConfigurations": [
                            {
                                "name": "nic",
                                "properties": {
                                    "ipConfigurations": [
                                        {
                                            "name": "ip",
                                            "properties": {
                                                "subnet": {"id": f"{VNET}/subnets/web"}
                                            },
                                        }
                                    ]
                                },
                            }
                        ]
                    }
                }
            },
        },
    ]
    inventory = transform_rows(rows, "batch")
    assert edges(inventory) == {("batch-lb", "targets", "batch")}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("not a row", "rows[0]: expected an object"),
        ({"type": "microsoft.compute/disks"}, "rows[0].id"),
        ({"id": f"{P}/x/y/z", "type": 7}, "rows[0].type"),
    ],
)
def test_a_row_without_id_or_type_is_cv010(row, problem):
    with pytest.raises(ValidationError, match=problem.replace("[", r"\[")):
        transform_rows([row], "bad")


def test_odd_optional_fields_are_tolerated():
    row = {
        "id": f"{P}/Microsoft.Network/networkInterfaces/odd",
        "type": "microsoft.network/networkinterfaces",
        "tags": ["not", "a", "map"],
        "zones": "1",
        "sku": "Standard",
        "properties": {"ipConfigurations": "nope", "virtualMachine": 3},
    }
    [nic] = transform_rows([row], "odd").resources
    assert nic.tags == {} and nic.zone is None and nic.parent is None


def test_picked_values_of_an_unexpected_shape_are_still_stripped():
    row = {
        "id": f"{P}/Microsoft.Compute/virtualMachines/odd",
        "type": "microsoft.compute/virtualmachines",
        "properties": {
            "hardwareProfile": {"vmSize": {"name": "B2s", "adminPassword": "x1"}}
        },
    }
    [vm] = transform_rows([row], "odd").resources
    assert vm.properties["instance_type"] == {"name": "B2s"}
