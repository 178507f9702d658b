"""Live GCP discovery against the fake Cloud Asset API on loopback, through the
real google-cloud-asset REST client and google-auth service-account flow."""

from __future__ import annotations

import time

import pytest

from cloudviz.config import load_settings
from cloudviz.errors import NetworkError, ProviderError, ValidationError
from cloudviz.progress import NULL_PROGRESS
from cloudviz.sources.files.registry import import_files
from cloudviz.sources.gcp.asset_types import DISCOVERED_ASSET_TYPES, DISCOVERY_GROUPS
from cloudviz.sources.live import (
    ExtractRequest,
    check_provider_access,
    extract_inventory,
)
from tests.sources.gcp.conftest import PROJECT
from tests.sources.gcp.fake_cloudasset import FIXTURES

SHOP = f"projects/{PROJECT}"
OTHER = "projects/acme-data-dev"


@pytest.fixture(autouse=True)
def _environment(gcp_environ: dict[str, str]) -> None:
    """Every test authenticates with a generated key against the fake."""


def extract(**request: object):
    request_ = ExtractRequest(provider="gcp", **request)  # type: ignore[arg-type]
    return extract_inventory(request_, load_settings(), NULL_PROGRESS)


def test_pages_through_a_project_and_matches_the_export_import(fake_gcp):
    inventory = extract(projects=(PROJECT,))

    # The export holds one type discovery does not ask for (a BigQuery dataset).
    imported = import_files([FIXTURES / "export-shop.ndjson"])
    wanted = [r for r in imported.resources if r.type in DISCOVERED_ASSET_TYPES]
    assert {r.id for r in inventory.resources} == {r.id for r in wanted}
    assert set(inventory.relationships) == set(imported.relationships)
    assert inventory.errors == []

    # Parallel streams, one per group of types, each paged by token.
    calls = [r for r in fake_gcp.requests if r["path"] == f"/v1/{SHOP}/assets"]
    assert len(calls) == len(fake_gcp.requests) == 6
    firewalls = [
        r
        for r in calls
        if "compute.googleapis.com/Firewall" in r["query"]["assetTypes"]
    ]
    assert [r["query"].get("pageToken", [""])[0] for r in firewalls] == ["", "10"]
    first = calls[0]
    assert first["authorization"].startswith("Bearer ")
    assert first["query"]["contentType"][0] in ("RESOURCE", "1")
    requested = {t for r in calls for t in r["query"]["assetTypes"]}
    assert requested == set(DISCOVERED_ASSET_TYPES)
    detail = inventory.source_detail
    assert detail["api_calls"] == len(calls)
    assert detail["assets"] == 35
    assert detail["duration_seconds"] > 0
    assert detail["scopes"] == [SHOP]


def test_live_rows_keep_whole_numbers_and_no_secrets(fake_gcp):
    inventory = extract(projects=(PROJECT,))
    by_name = {r.name: r for r in inventory.resources}
    assert by_name["allow-http"].properties["priority"] == 1000
    assert by_name["web-mig-x7k2"].account == PROJECT
    text = str([r.to_dict() for r in inventory.resources])
    assert "hunter2" not in text
    assert "ssh-ed25519" not in text
    assert "s3cret" not in text


def test_throttled_page_is_retried_after_the_server_asked_wait(fake_gcp):
    fake_gcp.throttled[(SHOP, "10")] = "1"
    started = time.monotonic()

    inventory = extract(projects=(PROJECT,))

    assert time.monotonic() - started >= 1.0
    assert len(inventory.resources) == 35
    assert inventory.source_detail["api_calls"] == len(fake_gcp.requests) == 7
    assert inventory.source_detail["retries"] == 1


def test_throttled_past_the_retries_is_an_error_entry(fake_gcp):
    fake_gcp.exhausted.add(OTHER)

    inventory = extract(projects=(PROJECT, "acme-data-dev"))

    assert len(inventory.resources) == 35
    [error] = inventory.errors
    assert error.scope == OTHER
    assert "429 still throttled after retries" in error.message
    # Six attempts for each stream of the exhausted project.
    tried = [r for r in fake_gcp.requests if r["path"] == f"/v1/{OTHER}/assets"]
    assert len(tried) == 6 * len(DISCOVERY_GROUPS)


def test_denied_project_is_an_error_entry_and_discovery_goes_on(fake_gcp):
    fake_gcp.denied.add(OTHER)

    inventory = extract(projects=(PROJECT, "acme-data-dev"))

    assert len(inventory.resources) == 35
    [error] = inventory.errors
    assert (error.provider, error.scope, error.code) == ("gcp", OTHER, "CV004")
    assert "PERMISSION_DENIED" in error.message
    assert "roles/cloudasset.viewer" in error.message


def test_disabled_api_names_the_command_that_enables_it(fake_gcp):
    fake_gcp.disabled.add(OTHER)

    inventory = extract(projects=(PROJECT,), scope=OTHER)

    [error] = inventory.errors
    assert "SERVICE_DISABLED" in error.message
    assert "gcloud services enable cloudasset.googleapis.com" in error.message


def test_user_credentials_without_quota_project(fake_gcp):
    fake_gcp.no_quota_project.add(OTHER)

    inventory = extract(projects=(PROJECT, "acme-data-dev"))

    [error] = inventory.errors
    assert "requires a quota project" in error.message
    assert "gcloud auth application-default set-quota-project" in error.message


def test_nothing_readable_stops_with_cv004(fake_gcp):
    fake_gcp.denied.add(SHOP)
    with pytest.raises(ProviderError) as raised:
        extract(projects=(PROJECT,))
    assert "roles/cloudasset.viewer" in raised.value.message


def test_default_scope_is_the_project_of_the_credentials(fake_gcp):
    inventory = extract()
    assert inventory.source_detail["scopes"] == [SHOP]


def test_check_access_reports_each_scope(fake_gcp):
    fake_gcp.denied.add(OTHER)
    fake_gcp.disabled.add("folders/771203")
    settings = load_settings()
    request = ExtractRequest(
        provider="gcp", projects=(PROJECT, "acme-data-dev"), scope="folders/771203"
    )

    report = check_provider_access(request, settings)

    assert report.identity == f"cloudviz@{PROJECT}.iam.gserviceaccount.com"
    checks = {check.name: check for check in report.checks}
    assert checks["credentials"].ok
    assert checks[f"read assets in {SHOP} (roles/cloudasset.viewer)"].ok
    denied = checks[f"read assets in {OTHER} (roles/cloudasset.viewer)"]
    assert not denied.ok
    assert "roles/cloudasset.viewer" in denied.remedy
    disabled = checks["cloudasset.googleapis.com enabled for folders/771203"]
    assert not disabled.ok
    # The API is enabled in the caller's project, named by the error.
    assert disabled.remedy == (
        "gcloud services enable cloudasset.googleapis.com --project 482915730264"
    )
    assert not report.ok


def test_unreachable_endpoint_is_a_network_error(monkeypatch):
    # Port 9 on loopback: nothing listens there.
    monkeypatch.setenv("CLOUDVIZ_PROVIDERS__GCP__ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(NetworkError, match="cannot reach the Cloud Asset API"):
        extract(projects=(PROJECT,))


def test_a_bad_scope_is_refused_before_any_call(fake_gcp):
    with pytest.raises(ValidationError, match="not a GCP scope"):
        extract(scope="buckets/logs")
    assert fake_gcp.requests == []


def test_service_account_signs_its_own_token(fake_gcp):
    # The client uses a self-signed JWT for service-account keys: no token
    # endpoint is called, and the API sees a bearer JWT.
    extract(projects=(PROJECT,))
    assert not [r for r in fake_gcp.requests if r.get("method") == "POST"]
    bearer = fake_gcp.requests[0]["authorization"].removeprefix("Bearer ")
    assert bearer.count(".") == 2
