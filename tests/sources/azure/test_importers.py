"""`cloudviz import` of `az graph query` and `az resource list` exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudviz.errors import ValidationError
from cloudviz.inventory.codec import inventory_from_dict
from cloudviz.sources.files import detect_format, import_files
from cloudviz.sources.files.source import ImportSource
from tests.sources.azure.conftest import FIXTURES, SHOP, graph_rows

CLOUDVIZ = str(Path(sys.executable).with_name("cloudviz"))


def detected(path: Path) -> str:
    return detect_format(ImportSource(path)).name


@pytest.mark.parametrize(
    ("fixture", "fmt"),
    [
        ("graph-rows.json", "azure-graph"),
        ("graph-object.json", "azure-graph"),
        ("graph-page.json", "azure-graph"),
        ("graph-page-2.json", "azure-graph"),
        ("resource-list.json", "azure-resources"),
    ],
)
def test_each_export_is_recognised_by_its_content(fixture, fmt, tmp_path):
    # Renamed, so only the content can tell.
    copy = tmp_path / "export.txt"
    copy.write_bytes((FIXTURES / fixture).read_bytes())
    assert detected(copy) == fmt


def test_a_projected_graph_query_is_still_a_graph_export(tmp_path):
    path = tmp_path / "projected.json"
    rows = [
        {"id": row["id"], "name": row["name"], "type": row["type"]}
        for row in graph_rows()
    ]
    path.write_text(json.dumps(rows))
    assert detected(path) == "azure-graph"


def test_other_json_is_not_claimed(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps([{"id": "i-0abc", "resourceGroup": "x"}]))
    with pytest.raises(ValidationError, match="format not recognised"):
        detected(path)


def test_the_list_and_the_paged_object_give_the_same_inventory():
    from_list = import_files([FIXTURES / "graph-rows.json"])
    from_object = import_files([FIXTURES / "graph-object.json"])
    assert [r.to_dict() for r in from_list.resources] == [
        r.to_dict() for r in from_object.resources
    ]
    assert from_list.relationships == from_object.relationships
    assert from_list.errors == from_object.errors == []
    assert from_list.source_detail["format"] == "azure-graph"


def test_one_page_of_a_larger_result_says_so():
    inventory = import_files([FIXTURES / "graph-page.json"])
    [error] = inventory.errors
    assert error.code == "CV010"
    assert f"12 of {len(graph_rows())} rows" in error.message
    assert "--skip-token" in error.message


def test_all_pages_imported_together_are_one_complete_export():
    pages = import_files([FIXTURES / "graph-page-2.json", FIXTURES / "graph-page.json"])
    whole = import_files([FIXTURES / "graph-rows.json"])
    assert pages.errors == []
    assert pages.source_detail["files"] == ["graph-page-2.json", "graph-page.json"]
    # The gateway and the apps on page 2 sit in subnets of VNet rows on page 1.
    assert sorted(r.to_dict()["id"] for r in pages.resources) == sorted(
        r.id for r in whole.resources
    )
    assert set(pages.relationships) == set(whole.relationships)
    parents = {r.id: r.parent for r in whole.resources}
    assert {r.id: r.parent for r in pages.resources} == parents


def test_resource_list_rows_get_their_subscription_from_the_id():
    inventory = import_files([FIXTURES / "resource-list.json"])
    assert {r.account for r in inventory.resources} == {SHOP}
    assert {r.group for r in inventory.resources} == {"shop-prod-rg"}
    by_name = {r.name: r for r in inventory.resources}
    assert by_name["shop-web-lb"].kind == "network.load_balancer"
    assert by_name["shop-web-lb"].type == "Microsoft.Network/loadBalancers"
    assert by_name["orders"].parent == by_name["shop-sql"].id
    assert by_name["shop-orders-func"].kind == "compute.function"
    names = {r.source.rsplit("/", 1)[1]: r.type for r in inventory.relationships}
    assert names == {"web-vm-1-os": "attached_to", "web-vm-2-os": "attached_to"}


def test_the_cli_imports_and_filters(tmp_path):
    out = tmp_path / "web.json"
    result = subprocess.run(
        [
            CLOUDVIZ,
            "import",
            str(FIXTURES / "graph-rows.json"),
            "--kind",
            "compute.*",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    kinds = {resource["kind"] for resource in document["resources"]}
    assert kinds == {"compute.vm", "compute.function"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[{"id": "/subscriptions/x/resourceGroups/r", "type": "t"', "not valid JSON"),
        ('{"count": 1, "total_records": 1}', '"data" list'),
        ('[{"id": "/subscriptions/x", "subscriptionId": "x"}]', "rows[0].type"),
        ('{"count": 1, "data": [3]}', "data[0]: expected an object"),
    ],
)
def test_damaged_exports_are_cv010(tmp_path, content, problem):
    path = tmp_path / "damaged.json"
    path.write_text(content)
    with pytest.raises(ValidationError, match=problem.replace("[", r"\[")):
        import_files([path], file_format="azure-graph")


def import_valid_or_cv010(path: Path, fmt: str) -> None:
    """A valid inventory (it reads back through the strict codec) or CV010."""
    try:
        inventory = import_files([path], file_format=fmt)
    except ValidationError:
        return
    inventory_from_dict(json.loads(json.dumps(inventory.to_dict())))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "type", "properties", "tags", "zones", "name", "x"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(JSON_VALUES, max_size=5),
    cut=st.integers(min_value=0, max_value=400),
    fmt=st.sampled_from(["azure-graph", "azure-resources"]),
)
def test_any_damage_gives_an_inventory_or_cv010(tmp_path, rows, cut, fmt):
    text = json.dumps({"count": len(rows), "data": rows} if cut % 2 else rows)
    path = tmp_path / "fuzz.json"
    path.write_text(text[: max(1, len(text) - cut)] if cut % 3 == 0 else text)
    import_valid_or_cv010(path, fmt)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=200))
def test_random_bytes_give_cv010(tmp_path, data):
    path = tmp_path / "noise.json"
    path.write_bytes(data)
    import_valid_or_cv010(path, "azure-graph")


def test_a_graph_export_and_a_resource_list_merge_across_id_case(tmp_path):
    rows = graph_rows()
    listing = json.loads((FIXTURES / "resource-list.json").read_text())
    for row in listing:
        row["id"] = row["id"].upper()  # the same resources, spelt otherwise
    upper = tmp_path / "upper-list.json"
    upper.write_text(json.dumps(listing))
    merged = import_files([FIXTURES / "graph-rows.json", upper])
    alone = import_files([FIXTURES / "graph-rows.json"])
    assert len(merged.resources) == len(alone.resources)
    assert len(rows) > len(listing)
