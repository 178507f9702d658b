"""What a job can do, as plain functions shared by every job backend.

A task takes a `JobContext` and returns the id of the snapshot it stored
(or None). The local pool and the Celery workers both call
`cloudviz.jobs.execution.execute_job`, which looks the task up here by the
job's `kind`:

- `extract`: live discovery through `cloudviz.sources.live.extract_inventory`
  with the request in the job's params (see `extraction_params`), stored as
  a snapshot.
- `demo`: a generated sample estate (`resources`, `seed`, `name`), stored as
  a snapshot; what the docs and load tests use without cloud credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from cloudviz.config import Settings
from cloudviz.errors import ValidationError
from cloudviz.inventory.filters import ResourceFilter, apply_filter, parse_tag_filters
from cloudviz.inventory.model import Inventory
from cloudviz.progress import Progress
from cloudviz.sources.demo import generate_demo_inventory
from cloudviz.sources.live import PROVIDERS, ExtractRequest, extract_inventory
from cloudviz.store.database import Database
from cloudviz.store.snapshots import SnapshotService


@dataclass(frozen=True, slots=True)
class JobContext:
    database: Database
    settings: Settings
    job_id: str
    params: dict[str, Any]
    owner_id: int | None
    progress: Progress


_LIST_FIELDS = ("regions", "profiles", "role_arns", "subscriptions", "projects")
_FILTER_LISTS = (
    "providers",
    "accounts",
    "regions",
    "resource_groups",
    "kinds",
    "types",
)


def _string_list(params: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = params.get(key) or []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"{where}{key}: expected a list of strings")
    return tuple(value)


def _optional_text(params: Mapping[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{key}: expected a string")
    return value or None


def _resource_filter(raw: Any) -> ResourceFilter:
    if raw is None:
        return ResourceFilter()
    if not isinstance(raw, Mapping):
        raise ValidationError("filters: expected an object")
    unknown = set(raw) - {*_FILTER_LISTS, "tags", "max_resources"}
    if unknown:
        raise ValidationError(f"filters.{sorted(unknown)[0]}: not a known filter")
    lists = {key: _string_list(raw, key, "filters.") for key in _FILTER_LISTS}
    limit = raw.get("max_resources")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValidationError("filters.max_resources: expected a positive integer")
    tags = parse_tag_filters(_string_list(raw, "tags", "filters."))
    return ResourceFilter(**lists, tags=tags, max_resources=limit)


def extract_request_from_params(params: Mapping[str, Any]) -> ExtractRequest:
    """The ExtractRequest a job's params describe; CV010 for bad params."""
    provider = params.get("provider")
    if provider not in PROVIDERS:
        raise ValidationError(
            f"provider: {provider!r} is not a provider", hint="use aws, azure or gcp"
        )
    lists = {key: _string_list(params, key, "") for key in _LIST_FIELDS}
    criteria = _resource_filter(params.get("filters"))
    # As `cloudviz extract --regions`: the regions both scope the discovery
    # and filter what it returns.
    regions = lists.pop("regions") or criteria.regions
    criteria = replace(criteria, regions=regions)
    return ExtractRequest(
        provider=provider,
        scope=_optional_text(params, "scope"),
        name=_optional_text(params, "name"),
        filter=criteria,
        regions=regions,
        **lists,
    )


def extraction_params(request: ExtractRequest) -> dict[str, Any]:
    """JSON-ready params for an `extract` job (the inverse of the above)."""
    params: dict[str, Any] = request.describe()
    if request.name:
        params["name"] = request.name
    criteria = request.filter
    if not criteria.is_empty():
        filters: dict[str, Any] = {
            key: list(getattr(criteria, key)) for key in _FILTER_LISTS
        }
        filters["tags"] = [f"{key}={value}" for key, value in criteria.tags]
        filters["max_resources"] = criteria.max_resources
        params["filters"] = {k: v for k, v in filters.items() if v}
    return params


def _demo_settings(params: Mapping[str, Any]) -> tuple[int, int, str | None]:
    resources, seed = params.get("resources", 200), params.get("seed", 42)
    if not isinstance(resources, int) or not isinstance(seed, int):
        raise ValidationError("resources and seed: expected integers")
    return resources, seed, _optional_text(params, "name")


def store_inventory(context: JobContext, inventory: Inventory) -> str:
    """Store the job's result in one transaction; the snapshot's id."""
    with context.database.session() as session:
        info = SnapshotService(session).create_from_inventory(
            inventory, context.owner_id, progress=context.progress
        )
    return info.id


def run_extraction(context: JobContext) -> str:
    request = extract_request_from_params(context.params)
    inventory = extract_inventory(request, context.settings, context.progress)
    inventory, _ = apply_filter(inventory, request.filter)  # as the CLI does
    if request.name:
        inventory.name = request.name
    return store_inventory(context, inventory)


def run_demo(context: JobContext) -> str:
    resources, seed, name = _demo_settings(context.params)
    context.progress.begin("generating the demo estate", None)
    inventory = generate_demo_inventory(resources, seed)
    if name:
        inventory.name = name
    return store_inventory(context, inventory)


TASKS: dict[str, Callable[[JobContext], str | None]] = {
    "extract": run_extraction,
    "demo": run_demo,
}


def validate_job(kind: str, params: Mapping[str, Any]) -> None:
    """Refuse an unknown kind or bad params before a job is queued (CV010)."""
    if kind not in TASKS:
        raise ValidationError(
            f"unknown job kind {kind!r}", hint="use one of: " + ", ".join(TASKS)
        )
    if kind == "extract":
        extract_request_from_params(params)
    elif kind == "demo":
        _demo_settings(params)
