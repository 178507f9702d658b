"""Azure Resource Graph through `azure-mgmt-resourcegraph`: a client and pages.

The client talks to `providers.azure.endpoint` (Azure public cloud by default;
a sovereign cloud's Resource Manager, a proxy, or a test server on loopback)
with the throttling policies of `cloudviz.sources.azure.throttling`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from azure.core.credentials import TokenCredential
from azure.mgmt.resourcegraph import ResourceGraphClient
from azure.mgmt.resourcegraph.models import (
    QueryRequest,
    QueryRequestOptions,
    ResultFormat,
)

from cloudviz.errors import ConfigurationError
from cloudviz.sources.azure.throttling import (
    CallStats,
    GraphRetryPolicy,
    QuotaPacingPolicy,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
MAX_RETRIES = 5
MAX_WAIT_SECONDS = 60.0
PUBLIC_ARM_SCOPE = "https://management.azure.com/.default"


@dataclass(frozen=True, slots=True)
class Page:
    """One answer of Resource Graph: up to `PAGE_SIZE` rows."""

    rows: list[dict[str, Any]]
    total_records: int | None
    skip_token: str | None
    truncated: bool


def arm_scope(endpoint: str) -> str:
    """The token scope for `endpoint`: its own for a Resource Manager host."""
    host = urlparse(endpoint).hostname or ""
    if host.startswith("management."):
        return f"https://{host}/.default"
    return PUBLIC_ARM_SCOPE


def check_endpoint(endpoint: str) -> str:
    """The endpoint, or CV003: bearer tokens only ever travel over https."""
    parsed = urlparse(endpoint)
    if parsed.scheme != "https" or not parsed.hostname:
        raise ConfigurationError(
            f"providers.azure.endpoint {endpoint!r} is not an https URL",
            hint="use https://management.azure.com or your cloud's Resource "
            "Manager URL (CLOUDVIZ_PROVIDERS__AZURE__ENDPOINT)",
        )
    return endpoint.rstrip("/")


def graph_client(
    credential: TokenCredential, endpoint: str, stats: CallStats
) -> ResourceGraphClient:
    """A Resource Graph client that counts its calls into `stats`."""
    endpoint = check_endpoint(endpoint)
    return ResourceGraphClient(
        credential,
        base_url=endpoint,
        credential_scopes=[arm_scope(endpoint)],
        retry_policy=GraphRetryPolicy(
            stats, max_retries=MAX_RETRIES, max_wait=MAX_WAIT_SECONDS
        ),
        per_retry_policies=[QuotaPacingPolicy(stats, MAX_WAIT_SECONDS)],
        connection_timeout=20,
        read_timeout=120,
    )


def query_pages(
    client: ResourceGraphClient,
    query: str,
    subscriptions: list[str] | None = None,
) -> Iterator[Page]:
    """Every page of `query`, following skip tokens; None: all subscriptions."""
    skip_token: str | None = None
    number = 0
    while True:
        options = QueryRequestOptions(
            top=PAGE_SIZE,
            skip_token=skip_token,
            result_format=ResultFormat.OBJECT_ARRAY,
        )
        response = client.resources(
            QueryRequest(query=query, subscriptions=subscriptions, options=options)
        )
        number += 1
        rows: list[dict[str, Any]] = (
            response.data if isinstance(response.data, list) else []
        )
        log.debug(
            "azure.page number=%s rows=%s total=%s",
            number,
            len(rows),
            response.total_records,
        )
        skip_token = response.skip_token or None
        yield Page(
            rows=rows,
            total_records=response.total_records,
            skip_token=skip_token,
            truncated=str(response.result_truncated).lower() == "true",
        )
        if skip_token is None:
            return
