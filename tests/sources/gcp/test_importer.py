"""The `gcp-asset` importer on hand-written gcloud exports."""

from __future__ import annotations

import contextlib
import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudviz.errors import ValidationError
from cloudviz.sources.files.registry import import_files
from tests.sources.gcp.fake_cloudasset import FIXTURES, shop_assets

EXPORT = FIXTURES / "export-shop.ndjson"
SEARCH = FIXTURES / "search-all-resources.json"


def _rels(inventory):
    by_id = inventory.by_id()
    return {
        (by_id[r.source].name, r.type, by_id[r.target].name)
        for r in inventory.relationships
    }


def test_export_ndjson_is_detected_and_related(tmp_path):
    # The name says nothing: detection is by content.
    path = tmp_path / "download.txt"
    shutil.copy(EXPORT, path)

    inventory = import_files([path])

    assert inventory.source_detail["format"] == "gcp-asset"
    assert len(inventory.resources) == 36
    rels = _rels(inventory)
    expected = {
        ("shop-vpc", "peers_with", "shared-vpc"),
        ("web-mig-x7k2", "secured_by", "allow-http"),
        ("web-mig-q9p4", "secured_by", "allow-http"),
        ("bastion", "secured_by", "allow-ssh-bastion"),
        ("bastion", "secured_by", "allow-internal"),
        ("shop-https", "targets", "shop-proxy"),
        ("shop-map", "targets", "shop-backend"),
        ("shop-backend", "targets", "web-mig"),
        ("legacy-tcp", "targets", "legacy-pool"),
        ("legacy-pool", "targets", "web-mig-q9p4"),
        ("web-mig", "contains", "web-mig-x7k2"),
        ("web-mig-x7k2", "attached_to", "web-mig-x7k2"),
        ("orders-db", "uses", "shop-vpc"),
        ("send-receipt", "uses", "shop-connector"),
        ("checkout-api", "uses", "shop-connector"),
        ("order-events", "routes_to", "order-events-mailer"),
        ("order-events", "routes_to", "send-receipt"),
        ("shop-internal", "attached_to", "shop-vpc"),
        ("to-onprem", "routes_to", "bastion"),
    }
    assert expected <= rels
    # Egress rules protect nobody's ingress; tag rules only their tags.
    assert not any(fw == "deny-egress-smtp" for _s, _t, fw in rels)
    assert ("bastion", "secured_by", "allow-http") not in rels

    by_name = {(r.type.rsplit("/", 1)[1], r.name): r for r in inventory.resources}
    parents = {
        ("Instance", "web-mig-x7k2"): "web-subnet",
        ("Subnetwork", "web-subnet"): "shop-vpc",
        ("Cluster", "shop-gke"): "gke-subnet",
        ("NodePool", "general"): "shop-gke",
        ("Instance", "orders-db"): "shop-vpc",
        ("Project", "acme-shop-prod"): "retail",
    }
    names = {r.id: r.name for r in inventory.resources}
    for key, parent in parents.items():
        assert names[by_name[key].parent] == parent, key
    bucket = by_name[("Bucket", "acme-shop-assets")]
    assert (bucket.account, bucket.region, bucket.kind) == (
        "acme-shop-prod",
        "eu",
        "storage.bucket",
    )


def test_export_keeps_no_secret():
    inventory = import_files([EXPORT])
    text = json.dumps(inventory.to_dict())
    mailer = next(r for r in inventory.resources if r.name == "order-events-mailer")
    assert mailer.properties["push_endpoint"] == "https://mailer.acme.example/push"
    secrets = ("hunter2", "ssh-ed25519", "s3cret", "sk_live", "never-exported")
    for secret in (*secrets, "push-verify"):
        assert secret not in text


def test_search_results_in_camel_case():
    inventory = import_files([SEARCH])
    assert len(inventory.resources) == 16
    assert {r.account for r in inventory.resources} == {"acme-data-dev"}
    rels = _rels(inventory)
    assert {
        ("etl-runner-1-data", "attached_to", "etl-runner-1"),
        ("etl-runner-1", "secured_by", "etl-egress-only"),
        ("warehouse-meta", "uses", "data-vpc"),
        ("ingest", "uses", "etl-conn"),
        ("landing-events", "routes_to", "ingest"),
        ("catalog-ui", "uses", "etl-conn"),
    } <= rels
    kinds = {r.name: r.kind for r in inventory.resources}
    assert kinds["ledger"] == "other"
    assert "do-not-store" not in json.dumps(inventory.to_dict())


def test_both_spellings_merge_into_one_inventory():
    inventory = import_files([SEARCH, EXPORT])
    assert len(inventory.resources) == 16 + 36
    assert {r.account for r in inventory.resources} >= {
        "acme-data-dev",
        "acme-shop-prod",
    }


@pytest.mark.parametrize("key", ["assets", "results"])
def test_saved_rest_responses(tmp_path, key):
    rows = json.loads(SEARCH.read_text())
    path = tmp_path / "response.json"
    path.write_text(json.dumps({key: rows, "nextPageToken": ""}, indent=2))
    assert len(import_files([path]).resources) == 16


def test_a_row_that_is_not_an_asset_is_cv010(tmp_path):
    path = tmp_path / "broken.ndjson"
    lines = EXPORT.read_text().splitlines()
    path.write_text(
        "\n".join([lines[0], '{"asset_type": "compute.googleapis.com/Disk"}'])
    )
    with pytest.raises(ValidationError, match="asset 2"):
        import_files([path])


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=4000), noise=st.binary(max_size=40))
def test_damaged_exports_give_an_inventory_or_cv010(tmp_path, cut, noise):
    path = tmp_path / "damaged.ndjson"
    path.write_bytes(EXPORT.read_bytes()[:cut] + noise)
    with contextlib.suppress(ValidationError):
        import_files([path], file_format="gcp-asset")


def test_gcloud_asset_list_camel_case_reads_as_the_export(tmp_path):
    # `gcloud asset list --format=json` spells the Asset envelope in camelCase.
    path = tmp_path / "asset-list.json"
    path.write_text(json.dumps(shop_assets(), indent=1))
    camel, snake = import_files([path]), import_files([EXPORT])
    assert [r.to_dict() for r in camel.resources] == [
        r.to_dict() for r in snake.resources
    ]
    assert camel.relationships == snake.relationships


def test_minified_rest_response_and_long_first_lines(tmp_path):
    rows = [json.loads(line) for line in EXPORT.read_text().splitlines()]
    minified = tmp_path / "response.json"
    minified.write_text(json.dumps({"assets": rows}))
    assert len(import_files([minified]).resources) == 36

    # A first asset longer than the 64 KiB format detection looks at.
    rows[0]["resource"]["data"]["description"] = "x" * 70_000
    long_line = tmp_path / "long.ndjson"
    long_line.write_text("\n".join(json.dumps(row) for row in rows))
    assert len(import_files([long_line]).resources) == 36
