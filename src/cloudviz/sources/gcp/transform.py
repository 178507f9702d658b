"""GCP assets to inventory resources and relationships: one pure transform.

The `gcp-asset` importer (search-all-resources JSON and export NDJSON) and the
live collector (Cloud Asset `ListAssets`) both hand their rows to
`transform_assets`, so a file and a live discovery of the same estate give the
same inventory.

Ids are full resource names. Projects are the accounts, named by project id;
the asset API names some things by project number, so numbers are translated
to ids wherever the rows say which id a number belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.model import Resource
from cloudviz.sources.gcp.asset_types import CONTAINER_TYPES, PROJECT_TYPE, kind_of
from cloudviz.sources.gcp.links import Linker, fields_read
from cloudviz.sources.gcp.names import last_segment, service_of, split_location
from cloudviz.sources.gcp.properties import property_fields, resource_properties
from cloudviz.sources.gcp.records import (
    AssetRecord,
    MalformedAssetError,
    asset_record,
    snake_case,
    text,
    value,
)

log = logging.getLogger(__name__)

PROVIDER = "gcp"
_RESOURCE_MANAGER = "cloudresourcemanager.googleapis.com"
_INSTANCE = "compute.googleapis.com/Instance"

# Fields every asset may be named, labelled and placed by (see records.py).
_COMMON_FIELDS = (
    "name",
    "displayName",
    "labels",
    "resourceLabels",
    "metadata",
    "zone",
    "region",
    "location",
    "status",
    "state",
    "tags",
    "projectId",
    "projectNumber",
)


@lru_cache(maxsize=256)
def _kept_fields(asset_type: str) -> frozenset[str]:
    names = (*_COMMON_FIELDS, *property_fields(asset_type), *fields_read(asset_type))
    return frozenset(names) | {snake_case(name) for name in names}


def slim_data(asset_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an API resource the transform reads, nothing more.

    Big estates stay small in memory (an instance's data shrinks several
    times), and instance metadata keeps only its `created-by` entry, so
    startup scripts and ssh keys are dropped as soon as they are read.
    """
    kept = _kept_fields(asset_type)
    slim = {key: found for key, found in data.items() if key in kept}
    if asset_type == _INSTANCE and isinstance(slim.get("metadata"), dict):
        entries = slim["metadata"].get("items")
        slim["metadata"] = {
            "items": [
                entry
                for entry in (entries if isinstance(entries, list) else [])
                if isinstance(entry, dict) and entry.get("key") == "created-by"
            ]
        }
    return slim


def transform_assets(
    rows: Iterable[Any], builder: InventoryBuilder, *, strict: bool = True
) -> int:
    """Add every asset row to `builder`; return how many rows were assets.

    A row that is not an asset raises `MalformedAssetError` (naming its position)
    when `strict`, else it is skipped and counted in the builder's errors.
    """
    records = _records(rows, builder, strict=strict)
    linker = Linker(builder, project_ids(records))
    for record in records:
        resource = _resource(record, linker)
        linker.link(record, resource)
        builder.add(resource)
    linker.finish()
    log.debug("gcp.transform assets=%s", len(records))
    return len(records)


def _records(
    rows: Iterable[Any], builder: InventoryBuilder, *, strict: bool
) -> list[AssetRecord]:
    records: list[AssetRecord] = []
    skipped = 0
    for position, row in enumerate(rows, start=1):
        try:
            record = asset_record(row)
        except MalformedAssetError as problem:
            if strict:
                raise MalformedAssetError(f"asset {position}: {problem}") from None
            skipped += 1
            continue
        record.data = slim_data(record.asset_type, record.data)
        records.append(record)
    if skipped:
        builder.error(
            PROVIDER, "assets", "CV010", f"{skipped} rows skipped: not assets"
        )
    return records


def project_ids(records: Iterable[AssetRecord]) -> dict[str, str]:
    """Project number → project id, from whatever rows reveal the pairing."""
    ids: dict[str, str] = {}
    for record in records:
        if record.asset_type == PROJECT_TYPE:
            number = text(value(record.data, "projectNumber")) or last_segment(
                record.name
            )
            project_id = text(record.get("projectId"))
            if project_id and number.isdigit():
                ids[number] = project_id
        elif record.project and record.project.isdigit():
            named = _project_in_name(record.name)
            if named and not named.isdigit():
                ids.setdefault(record.project, named)
    return ids


def _project_in_name(name: str) -> str | None:
    parts = name.split("/")
    if len(parts) > 4 and parts[3] == "projects":
        return parts[4]
    return None


def _resource(record: AssetRecord, linker: Linker) -> Resource:
    region, zone = split_location(record.location)
    return Resource(
        id=linker.canonical(record.name),
        provider=PROVIDER,
        type=record.asset_type,
        kind=kind_of(record.asset_type),
        name=_display_name(record),
        account=_account(record, linker),
        region=region,
        zone=zone,
        parent=_container(record, linker),
        tags=dict(record.labels),
        properties=resource_properties(record),
    )


def _display_name(record: AssetRecord) -> str:
    if record.asset_type == PROJECT_TYPE:
        project_id = text(record.get("projectId"))
        if project_id:
            return project_id
    return (
        record.display_name
        or text(value(record.data, "displayName"))
        or last_segment(text(value(record.data, "name")) or record.name)
    )


def _account(record: AssetRecord, linker: Linker) -> str | None:
    if record.asset_type == PROJECT_TYPE:
        return text(record.get("projectId")) or linker.project_id(
            last_segment(record.name)
        )
    if record.asset_type in CONTAINER_TYPES:
        return None
    return linker.project_id(record.project) if record.project else None


def _container(record: AssetRecord, linker: Linker) -> str | None:
    """The parent the asset API names, unless it is merely the project.

    Projects sit in folders and folders in organizations; any other asset's
    project is its `account`, and its drawing parent comes from its links.
    """
    if not record.container:
        return None
    if record.asset_type in CONTAINER_TYPES:
        return record.container
    if service_of(record.container) == _RESOURCE_MANAGER:
        return None
    return linker.canonical(record.container)
