"""Live discovery through the real Azure SDK against the fake Resource Manager."""

from __future__ import annotations

import pytest

from cloudviz.config import load_settings
from cloudviz.errors import ConfigurationError, NetworkError, ProviderError
from cloudviz.inventory.filters import ResourceFilter
from cloudviz.sources.azure.collector import check_azure_access, extract_azure_inventory
from cloudviz.sources.live import ExtractRequest
from tests.sources.azure.conftest import HUB, LOCKED, SHOP, graph_rows
from tests.sources.azure.fake_arm import CLIENT_ID, GRAPH_PATH, TOKEN, FakeArm


def settings():
    return load_settings()


class RecordingProgress:
    def __init__(self) -> None:
        self.tasks: list[str] = []
        self.advanced = 0

    def begin(self, task: str, total: int | None) -> None:
        self.tasks.append(task)

    def advance(self, amount: int = 1) -> None:
        self.advanced += amount

    def end(self) -> None:
        return None


def test_every_visible_subscription_is_read_page_by_page(arm, credential):
    progress = RecordingProgress()
    inventory = extract_azure_inventory(
        ExtractRequest("azure"), settings(), progress, credential=credential
    )

    names = {resource.name for resource in inventory.resources}
    assert {"shop-vnet", "hub-vnet", "web", "GatewaySubnet", "web-vm-1"} <= names
    assert "master" not in names  # system database skipped

    requests = arm.state.graph_requests()
    listing = [r for r in requests if r.body["query"].startswith("resourcecontainers")]
    queries = [r for r in requests if r.body["query"].startswith("resources")]
    assert len(listing) == 1
    shop_pages = [r for r in queries if r.body["subscriptions"] == [SHOP]]
    # 22 rows of the shop subscription at 10 a page: three pages, with tokens.
    assert len(shop_pages) == 3
    assert "$skipToken" not in shop_pages[0].body["options"]
    assert shop_pages[1].body["options"]["$skipToken"]
    assert all(r.body["options"]["$top"] == 1000 for r in queries)
    assert all(r.body["options"]["resultFormat"] == "objectArray" for r in queries)

    detail = inventory.source_detail
    assert detail["api_calls"] == len(requests)
    assert detail["duration_seconds"] > 0
    assert detail["rows"] == len(graph_rows())
    assert progress.tasks == [
        "azure shop-prod",
        "azure network-hub",
        "azure finance-locked",
    ]
    assert progress.advanced == len(graph_rows())


def test_a_forbidden_subscription_is_recorded_and_discovery_goes_on(arm, credential):
    inventory = extract_azure_inventory(
        ExtractRequest("azure"), settings(), credential=credential
    )

    assert len(inventory.errors) == 1
    error = inventory.errors[0]
    assert error.code == "CV004"
    assert error.scope == f"/subscriptions/{LOCKED}"
    assert "AuthorizationFailed" in error.message
    assert "Microsoft.ResourceGraph/resources/read" in error.message
    assert (
        'az role assignment create --assignee $AZURE_CLIENT_ID --role "Reader" '
        f'--scope "/subscriptions/{LOCKED}"'
    ) in error.message
    accounts = {resource.account for resource in inventory.resources}
    assert accounts == {SHOP, HUB}


def test_a_token_from_another_tenant_names_the_tenant_remedy(
    arm, arm_state, credential
):
    arm_state.other_tenant = {HUB}
    inventory = extract_azure_inventory(
        ExtractRequest("azure", subscriptions=(SHOP, HUB)),
        settings(),
        credential=credential,
    )
    [error] = inventory.errors
    assert error.scope == f"/subscriptions/{HUB}"
    assert "InvalidAuthenticationTokenTenant" in error.message
    assert "verify the tenant ID" in error.message


def test_throttling_waits_for_retry_after_and_the_quota(arm, arm_state, credential):
    arm_state.throttle_next = 1
    inventory = extract_azure_inventory(
        ExtractRequest("azure", subscriptions=(SHOP,)),
        settings(),
        credential=credential,
    )

    first, second = arm_state.graph_requests()[:2]
    assert first.body == second.body  # the same page, asked again
    assert second.at - first.at >= 0.95  # Retry-After: 1 was honoured
    detail = inventory.source_detail
    assert detail["throttled_responses"] == 1
    assert detail["throttle_wait_seconds"] >= 1
    assert not inventory.errors
    assert detail["api_calls"] == 4  # one throttled call and three pages


def test_a_spent_quota_is_waited_out_before_the_next_call(arm, arm_state, credential):
    arm_state.quota_remaining = "0"
    arm_state.quota_resets_after = "00:00:00.5"
    extract_azure_inventory(
        ExtractRequest("azure", subscriptions=(SHOP,)),
        settings(),
        credential=credential,
    )
    first, second = arm_state.graph_requests()[:2]
    assert second.at - first.at >= 0.45
    assert second.body["options"]["$skipToken"]  # no 429 was needed


def test_subscriptions_read_denied_is_cv004_with_the_guide_remedy(
    arm, arm_state, credential
):
    arm_state.deny_listing = True
    with pytest.raises(ProviderError) as caught:
        extract_azure_inventory(
            ExtractRequest("azure"), settings(), credential=credential
        )
    error = caught.value
    assert error.cv_code == "CV004"
    assert "Microsoft.Resources/subscriptions/read" in error.message
    assert "not allowed to read subscriptions" in error.message
    assert error.hint == (
        "grant the Reader role at that scope: az role assignment create "
        '--assignee $AZURE_CLIENT_ID --role "Reader" '
        '--scope "/subscriptions/$AZURE_SUBSCRIPTION_ID"'
    )


def test_a_configured_tenant_is_asked_for_every_token(arm, credential):
    from cloudviz.sources.azure.collector import TenantCredential

    pinned = TenantCredential(credential, "72f988bf-0000-4a1b-9c2d-3e4f5a6b7c8d")
    extract_azure_inventory(
        ExtractRequest("azure", subscriptions=(HUB,)), settings(), credential=pinned
    )
    assert credential.asked
    assert {asked["tenant_id"] for asked in credential.asked} == {
        "72f988bf-0000-4a1b-9c2d-3e4f5a6b7c8d"
    }
    assert credential.asked[0]["scopes"] == ("https://management.azure.com/.default",)


def test_throttling_that_outlasts_the_retries_is_recorded(arm, arm_state, credential):
    arm_state.throttle_next = 100
    arm_state.retry_after = "0.01"
    arm_state.quota_resets_after = "00:00:00.01"
    inventory = extract_azure_inventory(
        ExtractRequest("azure", subscriptions=(SHOP, HUB)),
        settings(),
        credential=credential,
    )
    assert [error.scope for error in inventory.errors] == [
        f"/subscriptions/{SHOP}",
        f"/subscriptions/{HUB}",
    ]
    assert "throttled" in inventory.errors[0].message
    # Bounded: the first try and five retries per subscription, no more.
    assert len(arm_state.graph_requests()) == 12


def test_filters_travel_in_the_query(arm, credential):
    criteria = ResourceFilter(
        resource_groups=("shop-*",),
        types=("microsoft.compute/*",),
        tags=(("env", "prod"),),
        regions=("westeurope",),
    )
    extract_azure_inventory(
        ExtractRequest("azure", subscriptions=(SHOP,), filter=criteria),
        settings(),
        credential=credential,
    )
    [query] = {r.body["query"] for r in arm.state.graph_requests()}
    assert "| where resourceGroup startswith 'shop-'" in query
    assert "| where location in~ ('westeurope')" in query
    assert "| where type startswith 'microsoft.compute/'" in query
    assert "| where tostring(tags['env']) =~ 'prod'" in query


def test_max_resources_stops_reading_early(arm, credential):
    inventory = extract_azure_inventory(
        ExtractRequest("azure", filter=ResourceFilter(max_resources=5)),
        settings(),
        credential=credential,
    )
    queries = [
        r for r in arm.state.graph_requests() if r.body["query"].startswith("resources")
    ]
    assert len(queries) == 1
    assert "--max-resources 5" in inventory.source_detail["stopped_early"]


def test_a_server_401_is_not_mistaken_for_missing_credentials(arm):
    from tests.sources.azure.conftest import StaticTokenCredential

    with pytest.raises(ProviderError) as caught:
        extract_azure_inventory(
            ExtractRequest("azure"),
            settings(),
            credential=StaticTokenCredential("expired-token"),
        )
    assert "InvalidAuthenticationToken" in caught.value.message


def test_plain_http_endpoints_are_refused(monkeypatch, credential):
    monkeypatch.setenv("CLOUDVIZ_PROVIDERS__AZURE__ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(ConfigurationError, match="https"):
        extract_azure_inventory(
            ExtractRequest("azure"), settings(), credential=credential
        )


def test_an_unreachable_endpoint_is_a_network_error(monkeypatch, credential, tmp_path):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv(
        "CLOUDVIZ_PROVIDERS__AZURE__ENDPOINT", f"https://127.0.0.1:{port}"
    )
    with pytest.raises(NetworkError, match="cannot reach"):
        extract_azure_inventory(
            ExtractRequest("azure", subscriptions=(SHOP,)),
            settings(),
            credential=credential,
        )


def test_check_access_reports_each_subscription(arm, credential):
    report = check_azure_access(
        ExtractRequest("azure"), settings(), credential=credential
    )
    checks = {check.name: check for check in report.checks}
    assert report.identity == f"appid {CLIENT_ID}"
    assert checks["credential"].ok
    assert checks["subscriptions visible"].ok
    assert "shop-prod" in checks["subscriptions visible"].detail
    assert checks[f"Resource Graph read on {SHOP}"].ok
    locked = checks[f"Resource Graph read on {LOCKED}"]
    assert not locked.ok
    assert locked.remedy.startswith("grant the Reader role")
    assert f'--scope "/subscriptions/{LOCKED}"' in locked.remedy
    assert not report.ok


def test_check_access_flags_a_requested_subscription_it_cannot_see(arm, credential):
    unseen = "11111111-2222-4333-8444-555555555555"
    report = check_azure_access(
        ExtractRequest("azure", subscriptions=(SHOP, unseen)),
        settings(),
        credential=credential,
    )
    checks = {check.name: check for check in report.checks}
    assert checks[f"Resource Graph read on {SHOP}"].ok
    assert not checks[f"Resource Graph read on {unseen}"].ok


def test_requests_go_to_the_documented_path(arm, credential):
    extract_azure_inventory(
        ExtractRequest("azure", subscriptions=(HUB,)), settings(), credential=credential
    )
    [request] = arm.state.graph_requests()
    assert request.path == GRAPH_PATH
    assert request.query["api-version"] == ["2021-03-01"]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert isinstance(arm, FakeArm)


def test_no_visible_subscription_is_cv004_with_the_reader_remedy(
    arm, arm_state, credential
):
    arm_state.subscriptions = []
    with pytest.raises(ProviderError) as caught:
        extract_azure_inventory(
            ExtractRequest("azure"), settings(), credential=credential
        )
    assert "can read no subscription" in caught.value.message
    assert '--role "Reader"' in (caught.value.hint or "")


def test_check_access_when_subscriptions_cannot_be_listed(arm, arm_state, credential):
    arm_state.deny_listing = True
    report = check_azure_access(
        ExtractRequest("azure"), settings(), credential=credential
    )
    checks = {check.name: check for check in report.checks}
    listing = checks["subscriptions visible"]
    assert not listing.ok
    assert "Microsoft.Resources/subscriptions/read" in listing.detail
    assert "az role assignment create" in listing.remedy
