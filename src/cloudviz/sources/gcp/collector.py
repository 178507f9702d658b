"""Live GCP discovery through Cloud Asset Inventory's `ListAssets`.

One `ListAssets` call per page and scope (project, folder or organization),
with content type RESOURCE so each asset carries its full API resource; the
rows then go through the same transform as the `gcp-asset` importer. A scope
that cannot be read (permission denied, API disabled, throttled past the
retries) becomes a CV004 entry in the inventory's `errors`, and discovery
goes on with the others.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import requests
from google.api_core import exceptions as api_exceptions
from google.auth import exceptions as auth_exceptions
from google.cloud import asset_v1

from cloudviz.config import Settings
from cloudviz.errors import NetworkError, ProviderError, ValidationError
from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.model import Inventory
from cloudviz.progress import Progress
from cloudviz.sources.gcp.asset_types import DISCOVERED_ASSET_TYPES
from cloudviz.sources.gcp.client import (
    ThrottleRetry,
    asset_client,
    describe_failure,
    load_credentials,
    refresh_failure,
)
from cloudviz.sources.gcp.transform import PROVIDER, transform_assets
from cloudviz.sources.live import ExtractRequest

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
CALL_TIMEOUT_SECONDS = 120.0
_SCOPE = re.compile(r"^(projects|folders|organizations)/[^/\s]+$")


def discovery_scopes(
    request: ExtractRequest, settings: Settings, default_project: str | None
) -> list[str]:
    """`projects/P`, `folders/F` or `organizations/O` to read, in order.

    `--project`/`--scope` win over `providers.gcp.projects`/`scope`; with none
    of them, the project of the credentials is read.
    """
    configured = settings.providers.gcp
    projects = request.projects or (() if request.scope else configured.projects)
    scope = request.scope or (None if request.projects else configured.scope)
    scopes = [p if p.startswith("projects/") else f"projects/{p}" for p in projects]
    if scope:
        scopes.append(scope.strip().rstrip("/"))
    if not scopes and default_project:
        scopes.append(f"projects/{default_project}")
    if not scopes:
        raise ValidationError(
            "no GCP project or scope to read",
            hint="pass --project PROJECT_ID or --scope organizations/ORG_ID "
            "(or set providers.gcp.projects in the configuration)",
        )
    for scope_name in scopes:
        if not _SCOPE.match(scope_name):
            raise ValidationError(
                f"{scope_name!r} is not a GCP scope",
                hint="use projects/PROJECT_ID, folders/FOLDER_ID or "
                "organizations/ORG_ID",
            )
    return list(dict.fromkeys(scopes))


def extract_gcp_inventory(
    request: ExtractRequest, settings: Settings, progress: Progress
) -> Inventory:
    """Everything the credentials can read in the requested scopes."""
    started = time.perf_counter()
    credentials, default_project = load_credentials()
    scopes = discovery_scopes(request, settings, default_project)
    client = asset_client(credentials, settings)
    retry = ThrottleRetry()
    builder = InventoryBuilder(
        request.name or _default_name(scopes),
        PROVIDER,
        source_detail={**request.describe(), "scopes": scopes},
    )
    log.info("gcp.extract.start scopes=%s", ",".join(scopes))

    rows: list[dict[str, Any]] = []
    failed = 0
    for scope in scopes:
        try:
            rows.extend(list_scope_assets(client, scope, retry, progress))
        except api_exceptions.GoogleAPICallError as exc:
            failed += 1
            log.warning("gcp.scope.failed scope=%s status=%s", scope, exc.code)
            builder.error(PROVIDER, scope, "CV004", describe_failure(exc, scope))
    if failed == len(scopes):
        raise ProviderError(
            f"could not read any GCP scope: {builder.errors[0].message}",
            hint="see docs/permissions/gcp.md, then: cloudviz provider test gcp",
        )

    transform_assets(rows, builder, strict=False)
    duration = time.perf_counter() - started
    builder.source_detail.update(
        api_calls=retry.calls,
        retries=retry.retries,
        assets=len(rows),
        duration_seconds=round(duration, 3),
    )
    log.info(
        "gcp.extract.done assets=%s api_calls=%s errors=%s seconds=%.2f",
        len(rows),
        retry.calls,
        len(builder.errors),
        duration,
    )
    return builder.build()


def list_scope_assets(
    client: Any, scope: str, retry: ThrottleRetry, progress: Progress
) -> list[dict[str, Any]]:
    """Every asset of the discovered types in one scope, page by page."""
    progress.begin(f"gcp {scope}", None)
    try:
        return list(_pages(client, scope, retry, progress))
    except auth_exceptions.GoogleAuthError as exc:
        raise refresh_failure(exc) from None
    except requests.RequestException as exc:
        raise NetworkError(
            f"cannot reach the Cloud Asset API: {exc}",
            hint="check the network, a proxy, or providers.gcp.endpoint",
        ) from None
    finally:
        progress.end()


def _pages(
    client: Any, scope: str, retry: ThrottleRetry, progress: Progress
) -> Iterator[dict[str, Any]]:
    request = asset_v1.ListAssetsRequest(
        parent=scope,
        asset_types=list(DISCOVERED_ASSET_TYPES),
        content_type=asset_v1.ContentType.RESOURCE,
        page_size=PAGE_SIZE,
    )
    pager = client.list_assets(
        request=request, retry=retry, timeout=CALL_TIMEOUT_SECONDS
    )
    for number, page in enumerate(pager.pages, start=1):
        log.debug(
            "gcp.page scope=%s page=%s assets=%s", scope, number, len(page.assets)
        )
        for asset in page.assets:
            yield asset_row(asset)
        progress.advance(len(page.assets))


def asset_row(asset: Any) -> dict[str, Any]:
    """An `Asset` message as the export's snake_case JSON row."""
    row: dict[str, Any] = _whole_numbers(
        type(asset).to_dict(asset, preserving_proto_field_name=True)
    )
    return row


def _whole_numbers(found: Any) -> Any:
    # A protobuf Struct carries every number as a double: `priority: 1000.0`.
    if isinstance(found, float) and found.is_integer():
        return int(found)
    if isinstance(found, dict):
        return {key: _whole_numbers(item) for key, item in found.items()}
    if isinstance(found, list):
        return [_whole_numbers(item) for item in found]
    return found


def _default_name(scopes: list[str]) -> str:
    label = scopes[0].split("/", 1)[1] if len(scopes) == 1 else "gcp"
    return f"{label}-{datetime.now(UTC):%Y-%m-%d}"
