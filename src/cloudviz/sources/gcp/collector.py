"""Live GCP discovery through Cloud Asset Inventory's `ListAssets`.

Each scope (project, folder or organization) is read as a few `ListAssets`
streams in parallel, one per group of asset types, each paged by page token,
with content type RESOURCE so every asset carries its full API resource. The
rows then go through the same transform as the `gcp-asset` importer.

A scope that cannot be read (permission denied, API disabled, throttled past
the retries) becomes a CV004 entry in the inventory's `errors`, and discovery
goes on with the others. Only when nothing at all can be read does discovery
stop with a `ProviderError`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests
from google.api_core import exceptions as api_exceptions
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import Credentials
from google.cloud import asset_v1
from google.protobuf import json_format

from cloudviz.config import Settings
from cloudviz.errors import NetworkError, ProviderError, ValidationError
from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.model import Inventory
from cloudviz.progress import Progress
from cloudviz.sources.gcp.asset_types import DISCOVERY_GROUPS
from cloudviz.sources.gcp.client import (
    ThrottleRetry,
    asset_client,
    describe_failure,
    load_credentials,
    refresh_failure,
)
from cloudviz.sources.gcp.transform import PROVIDER, slim_data, transform_assets
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


@dataclass(slots=True)
class _Stream:
    """One ListAssets stream: a scope and a group of asset types."""

    scope: str
    asset_types: tuple[str, ...]
    retry: ThrottleRetry = field(default_factory=ThrottleRetry)
    rows: list[dict[str, Any]] = field(default_factory=list)
    failure: api_exceptions.GoogleAPICallError | None = None


def extract_gcp_inventory(
    request: ExtractRequest, settings: Settings, progress: Progress
) -> Inventory:
    """Everything the credentials can read in the requested scopes."""
    started = time.perf_counter()
    credentials, default_project = load_credentials()
    scopes = discovery_scopes(request, settings, default_project)
    streams = [_Stream(scope, group) for scope in scopes for group in DISCOVERY_GROUPS]
    log.info("gcp.extract.start scopes=%s streams=%s", ",".join(scopes), len(streams))

    progress.begin(f"gcp: reading {', '.join(scopes)}", None)
    try:
        workers = min(settings.providers.gcp.max_workers, len(streams))
        with ThreadPoolExecutor(workers) as pool:
            reads = [
                pool.submit(_read, stream, credentials, settings, progress)
                for stream in streams
            ]
            for read in reads:
                read.result()
    finally:
        progress.end()

    builder = InventoryBuilder(
        request.name or _default_name(scopes),
        PROVIDER,
        source_detail={**request.describe(), "scopes": scopes},
    )
    failed = _record_failures(streams, builder)
    if len(failed) == len(scopes) and not any(stream.rows for stream in streams):
        raise ProviderError(
            f"could not read any GCP scope: {builder.errors[0].message}",
            hint="see docs/permissions/gcp.md, then: cloudviz provider test gcp",
        )

    rows = [row for stream in streams for row in stream.rows]
    transform_assets(rows, builder, strict=False)
    duration = time.perf_counter() - started
    calls = sum(stream.retry.calls for stream in streams)
    builder.source_detail.update(
        api_calls=calls,
        retries=sum(stream.retry.retries for stream in streams),
        assets=len(rows),
        duration_seconds=round(duration, 3),
    )
    log.info(
        "gcp.extract.done assets=%s api_calls=%s errors=%s seconds=%.2f",
        len(rows),
        calls,
        len(builder.errors),
        duration,
    )
    return builder.build()


def _read(
    stream: _Stream, credentials: Credentials, settings: Settings, progress: Progress
) -> None:
    """Fill one stream's rows, or its failure if the API refused it."""
    # A client per stream: requests sessions are not promised to be thread-safe.
    client = asset_client(credentials, settings)
    try:
        for page in _pages(client, stream):
            stream.rows.extend(asset_row(asset) for asset in page)
            progress.advance(len(page))
    except api_exceptions.GoogleAPICallError as exc:
        log.debug("gcp.stream.failed scope=%s status=%s", stream.scope, exc.code)
        stream.failure = exc
    except auth_exceptions.GoogleAuthError as exc:
        raise refresh_failure(exc) from None
    except requests.RequestException as exc:
        raise NetworkError(
            f"cannot reach the Cloud Asset API: {exc}",
            hint="check the network, a proxy, or providers.gcp.endpoint",
        ) from None


def _pages(client: Any, stream: _Stream) -> Iterator[list[Any]]:
    request = asset_v1.ListAssetsRequest(
        parent=stream.scope,
        asset_types=list(stream.asset_types),
        content_type=asset_v1.ContentType.RESOURCE,
        page_size=PAGE_SIZE,
    )
    pager = client.list_assets(
        request=request, retry=stream.retry, timeout=CALL_TIMEOUT_SECONDS
    )
    for number, page in enumerate(pager.pages, start=1):
        log.debug(
            "gcp.page scope=%s page=%s assets=%s",
            stream.scope,
            number,
            len(page.assets),
        )
        yield list(page.assets)


def _record_failures(streams: list[_Stream], builder: InventoryBuilder) -> set[str]:
    """One CV004 entry per scope that refused a stream; the scopes it names."""
    failed: set[str] = set()
    for stream in streams:
        if stream.failure is not None and stream.scope not in failed:
            failed.add(stream.scope)
            message = describe_failure(stream.failure, stream.scope)
            log.warning(
                "gcp.scope.failed scope=%s status=%s", stream.scope, stream.failure.code
            )
            builder.error(PROVIDER, stream.scope, "CV004", message)
    return failed


def asset_row(asset: Any) -> dict[str, Any]:
    """An `Asset` message as the export's snake_case JSON row, its resource
    data already cut down to what the transform reads (pages of a big scope
    are held until every scope is read)."""
    # The raw protobuf converts faster than proto-plus's own to_dict.
    message = type(asset).pb(asset)
    row: dict[str, Any] = json_format.MessageToDict(
        message, preserving_proto_field_name=True
    )
    resource = row.get("resource")
    if isinstance(resource, dict) and isinstance(resource.get("data"), dict):
        resource["data"] = _whole_numbers(
            slim_data(row.get("asset_type", ""), resource["data"])
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
