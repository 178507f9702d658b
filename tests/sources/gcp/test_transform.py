"""The GCP transform on recorded rows: both spellings, every id form."""

from __future__ import annotations

import inspect
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.sources.gcp import links
from cloudviz.sources.gcp.asset_types import ASSET_KINDS
from cloudviz.sources.gcp.names import full_resource_name, split_location
from cloudviz.sources.gcp.records import MalformedAssetError, asset_record
from cloudviz.sources.gcp.transform import slim_data, transform_assets

NET = "//compute.googleapis.com/projects/p1/global/networks/n1"
SUBNET = "//compute.googleapis.com/projects/p1/regions/europe-west4/subnetworks/s1"
VM = "//compute.googleapis.com/projects/p1/zones/europe-west4-a/instances/vm1"


@pytest.mark.parametrize(
    "reference",
    [
        "https://www.googleapis.com/compute/v1/projects/p1/global/networks/n1",
        "https://compute.googleapis.com/compute/beta/projects/p1/global/networks/n1",
        "projects/p1/global/networks/n1",
        "global/networks/n1",
        "//compute.googleapis.com/projects/p1/global/networks/n1/",
    ],
)
def test_every_spelling_of_a_reference_is_the_full_resource_name(reference):
    assert full_resource_name(reference, project="p1") == NET


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            "https://www.googleapis.com/storage/v1/b/logs",
            "//storage.googleapis.com/logs",
        ),
        (
            "https://sqladmin.googleapis.com/sql/v1beta4/projects/p1/instances/db",
            "//cloudsql.googleapis.com/projects/p1/instances/db",
        ),
        (
            "https://container.googleapis.com/v1/projects/p1/zones/z1/clusters/c",
            "//container.googleapis.com/projects/p1/locations/z1/clusters/c",
        ),
        ("zones/europe-west4-a/instances/vm1", VM),
    ],
)
def test_self_links_of_other_services(reference, expected):
    assert full_resource_name(reference, project="p1") == expected


def test_relative_path_without_a_project_is_not_guessed():
    assert full_resource_name("global/networks/n1") is None
    assert full_resource_name("") is None


def test_locations():
    assert split_location("europe-west4-a") == ("europe-west4", "europe-west4-a")
    assert split_location("europe-west4") == ("europe-west4", None)
    assert split_location("US") == ("us", None)
    assert split_location(None) == (None, None)


SEARCH_ROW = {
    "name": VM,
    "assetType": "compute.googleapis.com/Instance",
    "project": "projects/900100",
    "displayName": "vm1",
    "location": "europe-west4-a",
    "labels": {"cost_center": "cc-7"},
    "networkTags": ["web"],
    "versionedResources": [
        {
            "version": "v1",
            "resource": {
                "networkInterfaces": [
                    {
                        "network": "global/networks/n1",
                        "subnetwork": "regions/europe-west4/subnetworks/s1",
                    }
                ]
            },
        }
    ],
}
EXPORT_ROW = {
    "name": VM,
    "asset_type": "compute.googleapis.com/Instance",
    "resource": {
        "parent": "//cloudresourcemanager.googleapis.com/projects/900100",
        "location": "europe-west4-a",
        "data": {
            "name": "vm1",
            "labels": {"cost_center": "cc-7"},
            "tags": {"items": ["web"]},
            "networkInterfaces": [
                {
                    "network": "https://www.googleapis.com/compute/v1/"
                    "projects/p1/global/networks/n1",
                    "subnetwork": SUBNET,
                }
            ],
        },
    },
    "ancestors": ["projects/900100", "organizations/1"],
}


def test_both_spellings_read_the_same():
    search, export = asset_record(SEARCH_ROW), asset_record(EXPORT_ROW)
    for attribute in ("name", "asset_type", "location", "labels", "network_tags"):
        assert getattr(search, attribute) == getattr(export, attribute)
    assert search.project == export.project == "p1"


def _build(*rows):
    builder = InventoryBuilder("t", "gcp-asset")
    transform_assets(rows, builder)
    return builder.build()


NETWORK_ROWS = [
    {"name": NET, "assetType": "compute.googleapis.com/Network"},
    {
        "name": SUBNET,
        "asset_type": "compute.googleapis.com/Subnetwork",
        "resource": {"data": {"network": "projects/p1/global/networks/n1"}},
    },
    {
        "name": "//compute.googleapis.com/projects/p1/global/firewalls/web",
        "assetType": "compute.googleapis.com/Firewall",
        "versionedResources": [
            {"resource": {"network": "global/networks/n1", "targetTags": ["web"]}}
        ],
    },
]


@pytest.mark.parametrize("row", [SEARCH_ROW, EXPORT_ROW], ids=["camel", "snake"])
def test_instance_sits_in_its_subnet_and_is_secured_by_tagged_firewall(row):
    inventory = _build(row, *NETWORK_ROWS)
    by_id = inventory.by_id()

    vm = by_id[VM]
    assert (vm.kind, vm.account, vm.region, vm.zone) == (
        "compute.vm",
        "p1",
        "europe-west4",
        "europe-west4-a",
    )
    assert vm.parent == SUBNET
    assert by_id[SUBNET].parent == NET
    assert vm.tags == {"cost_center": "cc-7"}
    rels = {(r.source, r.target, r.type) for r in inventory.relationships}
    assert (
        VM,
        "//compute.googleapis.com/projects/p1/global/firewalls/web",
        "secured_by",
    ) in rels


def test_project_numbers_become_project_ids_for_accounts():
    bucket = {
        "name": "//storage.googleapis.com/logs-p1",
        "asset_type": "storage.googleapis.com/Bucket",
        "resource": {
            "parent": "//cloudresourcemanager.googleapis.com/projects/900100",
            "data": {"location": "EU"},
        },
    }
    project = {
        "name": "//cloudresourcemanager.googleapis.com/projects/900100",
        "asset_type": "cloudresourcemanager.googleapis.com/Project",
        "resource": {"data": {"projectId": "p1", "projectNumber": "900100"}},
    }
    by_name = {r.name: r for r in _build(bucket, project).resources}
    assert by_name["logs-p1"].account == "p1"
    assert by_name["p1"].kind == "management.group"


def test_unknown_type_is_other_and_metadata_never_kept():
    row = dict(EXPORT_ROW)
    row["resource"] = {
        "data": {
            "metadata": {"items": [{"key": "startup-script", "value": "PASSWORD=x1"}]},
            "networkInterfaces": [],
        }
    }
    odd = {
        "name": "//example.googleapis.com/things/t",
        "assetType": "example.googleapis.com/Thing",
    }
    inventory = _build(row, odd)
    assert {r.kind for r in inventory.resources} == {"compute.vm", "other"}
    assert "PASSWORD" not in str(inventory.to_dict())


@pytest.mark.parametrize("row", [[], {"name": VM}, {"assetType": "x/y"}, "text", None])
def test_rows_that_are_not_assets_are_refused_with_their_position(row):
    with pytest.raises(MalformedAssetError, match="asset 2"):
        _build(SEARCH_ROW, row)


def test_lenient_mode_counts_skipped_rows():
    builder = InventoryBuilder("t", "gcp")
    assert transform_assets([SEARCH_ROW, 42], builder, strict=False) == 1
    [error] = builder.errors
    assert error.code == "CV010"


# Field names the transform reads, so random data hits its code paths.
_FIELDS = [
    "networkInterfaces",
    "subnetwork",
    "network",
    "peerings",
    "disks",
    "source",
    "users",
    "metadata",
    "items",
    "key",
    "value",
    "instanceGroup",
    "targetTags",
    "targetServiceAccounts",
    "direction",
    "target",
    "backendService",
    "backends",
    "group",
    "instances",
    "urlMap",
    "defaultService",
    "pathMatchers",
    "settings",
    "ipConfiguration",
    "privateNetwork",
    "networkConfig",
    "vpcConnector",
    "serviceConfig",
    "eventTrigger",
    "pubsubTopic",
    "resource",
    "eventType",
    "topic",
    "template",
    "vpcAccess",
    "connector",
    "spec",
    "annotations",
    "subnet",
    "name",
    "labels",
    "tags",
    "location",
    "zone",
    "region",
    "projectId",
    "projectNumber",
    "serviceAccounts",
    "email",
    "instanceGroupUrls",
]
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "global/networks/n1",
            "zones/z/instances/i",
            "//x/y",
            "https://www.googleapis.com/compute/v1/projects/p/global/networks/n",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(_FIELDS), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "name": st.sampled_from(
                    [VM, SUBNET, NET, "//storage.googleapis.com/b"]
                ),
                "asset_type": st.sampled_from(sorted(ASSET_KINDS)),
                "resource": st.fixed_dictionaries({"data": _JSON, "location": _JSON}),
                "ancestors": _JSON,
            }
        ),
        max_size=6,
    )
)
def test_any_data_gives_an_inventory(rows):
    inventory = _build(*rows)
    assert len(inventory.resources) <= len(rows)


def test_every_field_a_link_reads_survives_slimming():
    # Asset data is cut down to the fields listed in links._READS; a link
    # function reading a field missing from that list would silently see
    # nothing. Read each function's source for the fields it asks for.
    for function, declared in links._READS.items():
        source = inspect.getsource(function)
        asked = {
            path.split(".", 1)[0]
            for path in re.findall(r'record\.get\(\s*"([^"]+)"', source)
        }
        assert asked <= set(declared), (function.__name__, asked - set(declared))
    assert set(links._READS) == set(links._LINKERS.values())


def test_slimming_keeps_only_created_by_from_instance_metadata():
    data = {
        "metadata": {
            "items": [
                {"key": "startup-script", "value": "PASSWORD=x"},
                {
                    "key": "created-by",
                    "value": "projects/1/zones/z/instanceGroupManagers/m",
                },
            ]
        },
        "shieldedInstanceConfig": {"enableSecureBoot": True},
        "networkInterfaces": [],
    }
    slim = slim_data("compute.googleapis.com/Instance", data)
    assert slim == {
        "metadata": {
            "items": [
                {
                    "key": "created-by",
                    "value": "projects/1/zones/z/instanceGroupManagers/m",
                }
            ]
        },
        "networkInterfaces": [],
    }
