"""Live Azure discovery: Resource Graph over every visible subscription.

`extract_azure_inventory` lists the subscriptions the credential sees (a
Resource Graph query on `resourcecontainers`, so no second SDK is needed),
or takes `--subscription`, then runs one filtered query per subscription, a
thousand rows a page, and feeds the rows through the same transform as the
`az graph query` importer. A subscription that answers 403 (or any other
refusal) becomes a CV004 entry with its remedy in the inventory's `errors`
and the next one is read; no usable credential at all stops with CV004.

Credentials come from `azure-identity`'s `DefaultAzureCredential`: the
`AZURE_CLIENT_ID`/`AZURE_CLIENT_SECRET`/`AZURE_TENANT_ID` service principal,
workload or managed identity, then the Azure CLI, PowerShell and Developer
CLI sign-ins. Callers (tests, the API) may pass any `TokenCredential`.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from azure.core.credentials import AccessToken, TokenCredential
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
)
from azure.mgmt.resourcegraph import ResourceGraphClient

from cloudviz.config import Settings
from cloudviz.errors import CloudVizError, ProviderError
from cloudviz.inventory.model import Inventory, utc_now_iso
from cloudviz.progress import NULL_PROGRESS, Progress
from cloudviz.sources.azure.failures import (
    SUBSCRIPTION_PLACEHOLDER,
    credential_error,
    explain,
    failure_error,
    is_credential_failure,
    reader_command,
    subscription_scope,
    unreachable_error,
)
from cloudviz.sources.azure.graph import arm_scope, graph_client, query_pages
from cloudviz.sources.azure.query import SUBSCRIPTIONS_QUERY, resources_query
from cloudviz.sources.azure.throttling import CallStats
from cloudviz.sources.azure.transform import AzureTransform
from cloudviz.sources.live import AccessCheck, AccessReport, ExtractRequest

log = logging.getLogger(__name__)
# The SDK warns on stderr when no credential works; CloudViz says it once, as
# CV004, and logs the SDK's full account of each credential tried at DEBUG.
logging.getLogger("azure").addHandler(logging.NullHandler())

PROBE_QUERY = "resources | project id | take 1"


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    name: str

    @property
    def scope(self) -> str:
        return subscription_scope(self.id)


class TenantCredential:
    """Asks `inner` for tokens of one tenant (`providers.azure.tenant_id`).

    Signed-in developers and multi-tenant service principals hold tokens for
    several tenants; pinning one avoids `InvalidAuthenticationTokenTenant`.
    """

    def __init__(self, inner: TokenCredential, tenant_id: str) -> None:
        self.inner = inner
        self.tenant_id = tenant_id

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        return self.inner.get_token(
            *scopes,
            claims=claims,
            tenant_id=tenant_id or self.tenant_id,
            enable_cae=enable_cae,
            **kwargs,
        )


def default_credential(settings: Settings) -> TokenCredential:
    """`DefaultAzureCredential`, imported only when Azure is used."""
    from azure.identity import DefaultAzureCredential

    tenant_id = settings.providers.azure.tenant_id
    if not tenant_id:
        return DefaultAzureCredential()
    return TenantCredential(
        DefaultAzureCredential(additionally_allowed_tenants=[tenant_id]), tenant_id
    )


@contextmanager
def translated_failures(endpoint: str, scope: str) -> Iterator[None]:
    """SDK failures that stop discovery, as CloudViz errors."""
    try:
        yield
    except ClientAuthenticationError as exc:
        if is_credential_failure(exc):
            raise credential_error(exc) from None
        raise failure_error(exc, scope) from None
    except HttpResponseError as exc:
        raise failure_error(exc, scope) from None
    except ServiceRequestError as exc:
        raise unreachable_error(exc, endpoint) from None


def list_subscriptions(client: ResourceGraphClient) -> list[Subscription]:
    """The subscriptions the credential can read, by name."""
    found = []
    for page in query_pages(client, SUBSCRIPTIONS_QUERY):
        for row in page.rows:
            sub_id = row.get("subscriptionId")
            if isinstance(sub_id, str) and sub_id:
                found.append(Subscription(sub_id, str(row.get("name") or sub_id)))
    return found


def _wanted_subscriptions(request: ExtractRequest, settings: Settings) -> list[str]:
    return list(request.subscriptions or settings.providers.azure.subscriptions)


def _subscriptions(
    request: ExtractRequest, settings: Settings, client: ResourceGraphClient
) -> list[Subscription]:
    wanted = _wanted_subscriptions(request, settings)
    if wanted:
        return [Subscription(sub_id, sub_id) for sub_id in wanted]
    endpoint = settings.providers.azure.endpoint
    with translated_failures(endpoint, "the tenant"):
        visible = list_subscriptions(client)
    if not visible:
        raise ProviderError(
            "the Azure credential can read no subscription",
            hint="grant it the Reader role on each subscription to draw: "
            + reader_command(SUBSCRIPTION_PLACEHOLDER),
        )
    return visible


def extract_azure_inventory(
    request: ExtractRequest,
    settings: Settings,
    progress: Progress = NULL_PROGRESS,
    *,
    credential: TokenCredential | None = None,
) -> Inventory:
    """Discover the resources of every selected subscription.

    Subscriptions are read one after the other: Resource Graph's quota is per
    caller, so parallel queries would only be throttled sooner.
    """
    started = time.perf_counter()
    endpoint = settings.providers.azure.endpoint
    stats = CallStats()
    client = graph_client(credential or default_credential(settings), endpoint, stats)
    subscriptions = _subscriptions(request, settings, client)
    query = resources_query(request.filter)
    log.info("azure.extract.start subscriptions=%s", len(subscriptions))

    transform = AzureTransform(
        request.name or f"azure-{utc_now_iso()[:10]}",
        "azure",
        source_detail={
            **request.describe(),
            "endpoint": endpoint,
            "subscriptions": [sub.id for sub in subscriptions],
            "query": query,
        },
    )
    reader = _SubscriptionReader(
        client, query, transform, progress, request.filter.max_resources, endpoint
    )
    for subscription in subscriptions:
        if reader.limit_reached():
            break
        reader.read(subscription)

    detail = transform.builder.source_detail
    detail.update(stats.to_dict())
    detail["duration_seconds"] = round(time.perf_counter() - started, 3)
    inventory = transform.build()
    log.info(
        "azure.extract.done resources=%s errors=%s api_calls=%s seconds=%.2f",
        len(inventory.resources),
        len(inventory.errors),
        stats.api_calls,
        detail["duration_seconds"],
    )
    return inventory


@dataclass(slots=True)
class _SubscriptionReader:
    """Reads subscriptions page by page into one transform."""

    client: ResourceGraphClient
    query: str
    transform: AzureTransform
    progress: Progress
    limit: int | None
    endpoint: str

    def limit_reached(self) -> bool:
        if self.limit is None or self.transform.rows < self.limit:
            return False
        self.transform.builder.source_detail["stopped_early"] = (
            f"--max-resources {self.limit} reached before every row was read"
        )
        return True

    def read(self, subscription: Subscription) -> None:
        """Every page of one subscription; a refusal is recorded, not raised."""
        scope = subscription.scope
        self.progress.begin(f"azure {subscription.name}", None)
        rows = 0
        try:
            for page in query_pages(self.client, self.query, [subscription.id]):
                for row in page.rows:
                    self._add_row(row, scope)
                rows += len(page.rows)
                self.progress.advance(len(page.rows))
                if page.truncated and page.skip_token is None:
                    self._record_truncation(scope)
                if page.skip_token and self.limit_reached():
                    break
        except ClientAuthenticationError as exc:
            if is_credential_failure(exc):
                raise credential_error(exc) from None
            self._record(scope, exc)
        except HttpResponseError as exc:
            self._record(scope, exc)
        except ServiceRequestError as exc:
            raise unreachable_error(exc, self.endpoint) from None
        finally:
            self.progress.end()
        log.info("azure.subscription id=%s rows=%s", subscription.id, rows)

    def _add_row(self, row: Any, scope: str) -> None:
        try:
            self.transform.add_row(row, f"{scope} row")
        except CloudVizError as exc:
            # Resource Graph always sends id and type; say so rather than stop.
            self.transform.builder.error(
                "azure", scope, "CV004", f"unreadable row: {exc}"
            )

    def _record_truncation(self, scope: str) -> None:
        self.transform.builder.error(
            "azure",
            scope,
            "CV004",
            "Resource Graph truncated the result without a skip token; "
            "fix: narrow the query with --resource-groups or --type",
        )

    def _record(self, scope: str, exc: HttpResponseError) -> None:
        explained = explain(exc, scope)
        # Recorded in the inventory and shown in its summary: no warning too.
        log.info("azure.refused scope=%s reason=%s", scope, explained.message)
        self.transform.builder.error("azure", scope, "CV004", str(explained))


# -- `cloudviz provider test azure` ---------------------------------------------


def token_identity(token: str) -> str | None:
    """Who a token belongs to (`upn`, app id or object id), read not verified."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        )
    except (IndexError, ValueError):
        return None
    if not isinstance(claims, dict):
        return None
    for claim in ("upn", "unique_name", "appid", "oid"):
        if isinstance(claims.get(claim), str):
            return f"{claim} {claims[claim]}"
    return None


def check_azure_access(
    request: ExtractRequest,
    settings: Settings,
    *,
    credential: TokenCredential | None = None,
) -> AccessReport:
    """Token, visible subscriptions, and Resource Graph read on each one."""
    report = AccessReport("azure")
    endpoint = settings.providers.azure.endpoint
    credential = credential or default_credential(settings)
    try:
        token = credential.get_token(arm_scope(endpoint))
    except ClientAuthenticationError as exc:
        error = credential_error(exc)
        report.checks.append(
            AccessCheck("credential", False, error.message, error.hint or "")
        )
        return report
    report.identity = token_identity(token.token)
    report.checks.append(AccessCheck("credential", True, "token acquired"))

    client = graph_client(credential, endpoint, CallStats())
    visible = _check_visible_subscriptions(client, report, endpoint)
    wanted = _wanted_subscriptions(request, settings)
    for sub_id in wanted or [sub.id for sub in visible]:
        report.checks.append(_check_graph_read(client, sub_id, visible, endpoint))
    return report


def _check_visible_subscriptions(
    client: ResourceGraphClient, report: AccessReport, endpoint: str
) -> list[Subscription]:
    remedy = reader_command(SUBSCRIPTION_PLACEHOLDER)
    try:
        visible = list_subscriptions(client)
    except HttpResponseError as exc:
        explained = explain(exc, "the tenant")
        report.checks.append(
            AccessCheck(
                "subscriptions visible", False, explained.message, explained.remedy
            )
        )
        return []
    except ServiceRequestError as exc:
        error = unreachable_error(exc, endpoint)
        report.checks.append(
            AccessCheck("subscriptions visible", False, error.message, error.hint or "")
        )
        return []
    names = ", ".join(f"{sub.name} ({sub.id})" for sub in visible[:10])
    more = f" and {len(visible) - 10} more" if len(visible) > 10 else ""
    report.checks.append(
        AccessCheck(
            "subscriptions visible",
            bool(visible),
            f"{len(visible)}: {names}{more}" if visible else "none",
            remedy,
        )
    )
    return visible


def _check_graph_read(
    client: ResourceGraphClient,
    sub_id: str,
    visible: list[Subscription],
    endpoint: str,
) -> AccessCheck:
    name = f"Resource Graph read on {sub_id}"
    scope = subscription_scope(sub_id)
    try:
        next(iter(query_pages(client, PROBE_QUERY, [sub_id])))
    except HttpResponseError as exc:
        explained = explain(exc, scope)
        return AccessCheck(name, False, explained.message, explained.remedy)
    except ServiceRequestError as exc:
        error = unreachable_error(exc, endpoint)
        return AccessCheck(name, False, error.message, error.hint or "")
    if visible and sub_id.lower() not in {sub.id.lower() for sub in visible}:
        return AccessCheck(
            name,
            False,
            "the subscription is not visible to this identity",
            reader_command(scope),
        )
    return AccessCheck(name, True, "readable")
