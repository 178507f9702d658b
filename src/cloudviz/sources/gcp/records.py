"""One shape for the asset rows GCP hands out in two spellings.

- `gcloud asset search-all-resources --format=json` gives camelCase
  `ResourceSearchResult`s: `name`, `assetType`, `project` (`projects/NUMBER`),
  `displayName`, `location`, `labels`, `networkTags`, `parentFullResourceName`,
  `additionalAttributes`, and with `--read-mask='*'` the full API resource in
  `versionedResources[].resource`.
- `gcloud asset export` (NDJSON) and the `ListAssets` API give `Asset`s:
  `name`, `asset_type` (`assetType` in the REST and `gcloud asset list`
  spelling), `resource.data` holding the full API resource, `resource.parent`,
  `resource.location`, `ancestors`.

`asset_record` reads either into an `AssetRecord`; nothing after it needs to
know which spelling a row came in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from cloudviz.sources.gcp.names import location_in, project_in

# Rows are decoded JSON, so objects are plain dicts (checked as such: an ABC
# check costs several times more, and the transform makes millions of them).
EMPTY: Mapping[str, Any] = MappingProxyType({})


class MalformedAssetError(ValueError):
    """A row that is not an asset: no name or no asset type."""


@lru_cache(maxsize=512)
def snake_case(name: str) -> str:
    """`networkInterfaces` → `network_interfaces`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def value(mapping: Any, camel_name: str) -> Any:
    """A field by its camelCase name, also found under its snake_case name."""
    if not isinstance(mapping, dict):
        return None
    found = mapping.get(camel_name)
    if found is None:
        found = mapping.get(snake_case(camel_name))
    return found


def dig(mapping: Any, path: str) -> Any:
    """A nested field by a dotted camelCase path; digits index lists."""
    current = mapping
    for step in path.split("."):
        if isinstance(current, list):
            if not step.isdigit() or int(step) >= len(current):
                return None
            current = current[int(step)]
        else:
            current = value(current, step)
        if current is None:
            return None
    return current


def text(found: Any) -> str | None:
    """A non-empty string, or None for anything else."""
    return found if isinstance(found, str) and found else None


def nested(found: Any) -> Mapping[str, Any]:
    return found if isinstance(found, dict) else EMPTY


def items(found: Any) -> list[Any]:
    return found if isinstance(found, list) else []


def strings(found: Any) -> list[str]:
    return [item for item in items(found) if isinstance(item, str) and item]


def string_map(found: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in nested(found).items() if v is not None}


@dataclass(slots=True)
class AssetRecord:
    """An asset as CloudViz needs it, whichever spelling it came in."""

    name: str
    asset_type: str
    data: Mapping[str, Any] = field(default_factory=dict)
    display_name: str | None = None
    location: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    # The project as found: an id (`my-proj`) or a number (`123456789`).
    project: str | None = None
    container: str | None = None
    network_tags: list[str] = field(default_factory=list)
    attributes: Mapping[str, Any] = field(default_factory=dict)
    state: str | None = None

    def get(self, path: str) -> Any:
        """A field of the API resource, else of the search attributes."""
        found = dig(self.data, path)
        return found if found is not None else dig(self.attributes, path)


def asset_record(row: Any) -> AssetRecord:
    """Normalise one row of either spelling; `MalformedAssetError` if it is not one."""
    if not isinstance(row, dict):
        raise MalformedAssetError("an asset row must be a JSON object")
    name = text(value(row, "name"))
    asset_type = text(value(row, "assetType"))
    if not name or not asset_type:
        raise MalformedAssetError("an asset row needs a 'name' and an asset type")
    if isinstance(value(row, "resource"), dict):
        record = _from_asset(row, name, asset_type)
    else:
        record = _from_search_result(row, name, asset_type)

    record.project = project_in(name.split("/", 3)[-1]) or record.project
    if not record.labels:
        record.labels = _labels(record.data)
    if not record.network_tags:
        record.network_tags = strings(dig(record.data, "tags.items"))
    if not record.location:
        record.location = _location_from_data(record.data) or location_in(name)
    record.state = (
        record.state
        or text(value(record.data, "status"))
        or text(value(record.data, "state"))
    )
    return record


def _from_asset(row: Mapping[str, Any], name: str, asset_type: str) -> AssetRecord:
    resource = nested(value(row, "resource"))
    container = text(value(resource, "parent"))
    ancestors = strings(value(row, "ancestors"))
    project = next(
        (a.split("/", 1)[1] for a in ancestors if a.startswith("projects/")), None
    )
    return AssetRecord(
        name=name,
        asset_type=asset_type,
        data=nested(value(resource, "data")),
        location=text(value(resource, "location")),
        project=project or (project_in(container) if container else None),
        container=container,
    )


def _from_search_result(
    row: Mapping[str, Any], name: str, asset_type: str
) -> AssetRecord:
    versions = items(value(row, "versionedResources"))
    data = nested(value(versions[0], "resource")) if versions else EMPTY
    project = text(value(row, "project"))
    return AssetRecord(
        name=name,
        asset_type=asset_type,
        data=data,
        display_name=text(value(row, "displayName")),
        location=text(value(row, "location")),
        labels=string_map(value(row, "labels")),
        project=project_in(project) if project else None,
        container=text(value(row, "parentFullResourceName")),
        network_tags=strings(value(row, "networkTags")),
        attributes=nested(value(row, "additionalAttributes")),
        state=text(value(row, "state")),
    )


def _labels(data: Mapping[str, Any]) -> dict[str, str]:
    # Cloud SQL keeps its labels under settings, GKE under resourceLabels.
    for path in ("labels", "settings.userLabels", "resourceLabels", "metadata.labels"):
        found = string_map(dig(data, path))
        if found:
            return found
    return {}


def _location_from_data(data: Mapping[str, Any]) -> str | None:
    for key in ("zone", "region", "location"):
        found = text(value(data, key))
        if found:
            return found.rstrip("/").rsplit("/", 1)[-1]
    return None
