"""`cloudviz extract azure` and `cloudviz provider test azure`, as a user runs
them, with `DefaultAzureCredential` choosing the credential. The CLI runs in
this process so that the loopback guard sees every connection it makes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cloudviz.cli.main import cli
from tests.sources.azure.conftest import LOCKED, SHOP
from tests.sources.azure.fake_arm import IDENTITY_HEADER


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def managed_identity(arm, monkeypatch):
    """An App Service managed identity, served by the fake."""
    monkeypatch.setenv("IDENTITY_ENDPOINT", arm.identity_endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", IDENTITY_HEADER)
    return arm


def test_extract_azure_writes_an_inventory(managed_identity, tmp_path):
    out = tmp_path / "azure.json"
    result = run("extract", "azure", "--resource-groups", "shop-*", "-o", str(out))

    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["source"]["kind"] == "azure"
    names = {resource["name"] for resource in document["resources"]}
    assert {"shop-vnet", "web-vm-1", "shop-web-lb"} <= names
    assert all(r["group"] == "shop-prod-rg" for r in document["resources"])
    [error] = document["errors"]
    assert error["scope"] == f"/subscriptions/{LOCKED}"
    assert "API calls" in result.stderr
    assert "[CV004]" in result.stderr

    token_requests = [r for r in managed_identity.state.requests if r.method == "GET"]
    assert token_requests, "the token came from the managed identity endpoint"
    queries = [r.body["query"] for r in managed_identity.state.graph_requests()]
    assert any("resourceGroup startswith 'shop-'" in query for query in queries)


def test_extract_one_subscription(managed_identity, tmp_path):
    out = tmp_path / "shop.json"
    result = run("extract", "azure", "--subscription", SHOP, "-o", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert {r["account"] for r in document["resources"]} == {SHOP}
    assert document["source"]["detail"]["subscriptions"] == [SHOP]


def test_no_credentials_is_cv004_with_the_remedy(arm, monkeypatch, loopback_only):
    # Skip the managed identity probe: it would look for a metadata endpoint.
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "dev")
    result = run("extract", "azure")

    assert result.exit_code == 1
    assert "Error [CV004]" in result.stderr
    assert "ClientAuthenticationError" in result.stderr
    assert "az login --service-principal" in result.stderr
    assert '--role "Reader"' in result.stderr
    assert "cloudviz provider test azure" in result.stderr
    assert "Traceback" not in result.output
    assert arm.state.requests == []  # no token, so nothing was sent at all
    assert loopback_only == []


def test_provider_test_azure_lists_what_is_missing(managed_identity):
    result = run("provider", "test", "azure", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    failing = [check for check in report["checks"] if not check["ok"]]
    assert [check["name"] for check in failing] == [f"Resource Graph read on {LOCKED}"]
    assert "az role assignment create" in failing[0]["remedy"]


def test_provider_test_azure_passes_for_readable_subscriptions(managed_identity):
    result = run("provider", "test", "azure", "--subscription", SHOP)
    assert result.exit_code == 0, result.output
    assert "[ok] credential" in result.stdout


def test_provider_test_without_credentials_says_how_to_sign_in(arm, monkeypatch):
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "dev")
    result = run("provider", "test", "azure")
    assert result.exit_code == 1
    assert "MISSING" in result.stdout
    assert "az login" in result.stdout
