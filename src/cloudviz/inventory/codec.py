"""Read and write inventory files (`schema_version: 1`).

Reading validates strictly and names the first bad field by its path, for
example `resources[12].kind: 'no.such.kind' is not a known kind`, so a user can
find it in a file of 100,000 resources. Writing is atomic: a crash never leaves
half a file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import orjson

from cloudviz.errors import ValidationError
from cloudviz.inventory.kinds import (
    KNOWN_KINDS,
    KNOWN_PROVIDERS,
    KNOWN_RELATIONSHIP_TYPES,
)
from cloudviz.inventory.model import (
    SCHEMA_VERSION,
    Inventory,
    InventoryError,
    Relationship,
    Resource,
)

_OPTIONAL_TEXT = ("account", "region", "zone", "group", "parent")


def _fail(path: str, problem: str) -> ValidationError:
    return ValidationError(
        f"{path}: {problem}",
        hint="fix the inventory file or re-create it with `cloudviz import`",
        details={"path": path},
    )


def _require_mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(path, f"expected an object, got {type(value).__name__}")
    return value


def _require_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, f"expected a list, got {type(value).__name__}")
    return value


def _require_text(item: Mapping[str, Any], key: str, path: str) -> str:
    if key not in item:
        raise _fail(f"{path}.{key}", "is required")
    value = item[key]
    if not isinstance(value, str) or not value:
        raise _fail(f"{path}.{key}", f"expected a non-empty string, got {value!r}")
    return value


def _optional_text(item: Mapping[str, Any], key: str, path: str) -> str | None:
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _fail(f"{path}.{key}", f"expected a string or null, got {value!r}")


def _string_map(value: Any, path: str) -> dict[str, str]:
    if value is None:
        return {}
    mapping = _require_mapping(value, path)
    for key, item in mapping.items():
        if not isinstance(item, str):
            raise _fail(f"{path}.{key}", f"expected a string, got {item!r}")
    return dict(mapping)


def _parse_resource(raw: Any, path: str) -> Resource:
    item = _require_mapping(raw, path)
    provider = _require_text(item, "provider", path)
    if provider not in KNOWN_PROVIDERS:
        raise _fail(f"{path}.provider", f"{provider!r} is not a known provider")
    kind = _require_text(item, "kind", path)
    if kind not in KNOWN_KINDS:
        raise _fail(f"{path}.kind", f"{kind!r} is not a known kind")
    optional = {key: _optional_text(item, key, path) for key in _OPTIONAL_TEXT}
    properties = item.get("properties")
    if properties is None:
        properties = {}
    return Resource(
        id=_require_text(item, "id", path),
        provider=provider,
        type=_require_text(item, "type", path),
        kind=kind,
        name=_require_text(item, "name", path),
        tags=_string_map(item.get("tags"), f"{path}.tags"),
        properties=dict(_require_mapping(properties, f"{path}.properties")),
        **optional,
    )


def _parse_relationship(raw: Any, path: str, ids: set[str]) -> Relationship:
    item = _require_mapping(raw, path)
    rel_type = _require_text(item, "type", path)
    if rel_type not in KNOWN_RELATIONSHIP_TYPES:
        raise _fail(f"{path}.type", f"{rel_type!r} is not a known relationship type")
    source = _require_text(item, "source", path)
    target = _require_text(item, "target", path)
    for key, value in (("source", source), ("target", target)):
        if value not in ids:
            raise _fail(f"{path}.{key}", f"{value!r} names no resource")
    return Relationship(source, target, rel_type)


def _parse_error(raw: Any, path: str) -> InventoryError:
    item = _require_mapping(raw, path)
    return InventoryError(
        provider=_require_text(item, "provider", path),
        scope=_require_text(item, "scope", path),
        code=_require_text(item, "code", path),
        message=_require_text(item, "message", path),
    )


def inventory_from_dict(document: Any) -> Inventory:
    """Validate a decoded inventory document and build the model."""
    doc = _require_mapping(document, "$")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail("schema_version", f"expected an integer, got {version!r}")
    if version > SCHEMA_VERSION:
        raise ValidationError(
            f"schema_version: this file is version {version}; this build of "
            f"CloudViz reads version {SCHEMA_VERSION}",
            hint="upgrade CloudViz to read it",
        )
    if version < 1:
        raise _fail("schema_version", f"{version} is not a valid version")

    source = _require_mapping(doc.get("source", {}), "source")
    resources = [
        _parse_resource(raw, f"resources[{index}]")
        for index, raw in enumerate(
            _require_list(doc.get("resources", []), "resources")
        )
    ]
    ids = {resource.id for resource in resources}
    if len(ids) != len(resources):
        seen: set[str] = set()
        for index, resource in enumerate(resources):
            if resource.id in seen:
                raise _fail(f"resources[{index}].id", f"{resource.id!r} is repeated")
            seen.add(resource.id)
    for index, resource in enumerate(resources):
        if resource.parent is not None and resource.parent not in ids:
            raise _fail(
                f"resources[{index}].parent", f"{resource.parent!r} names no resource"
            )
    raw_relationships = _require_list(doc.get("relationships", []), "relationships")
    relationships = [
        _parse_relationship(raw, f"relationships[{index}]", ids)
        for index, raw in enumerate(raw_relationships)
    ]
    errors = [
        _parse_error(raw, f"errors[{index}]")
        for index, raw in enumerate(_require_list(doc.get("errors", []), "errors"))
    ]
    detail = source.get("detail", {})
    return Inventory(
        name=_require_text(doc, "name", "$") if "name" in doc else "inventory",
        created_at=str(doc.get("created_at") or ""),
        source_kind=str(source.get("kind") or "cloudviz"),
        source_detail=dict(_require_mapping(detail or {}, "source.detail")),
        resources=resources,
        relationships=relationships,
        errors=errors,
        schema_version=version,
    )


def decode_json(data: bytes | str, origin: str = "input") -> Any:
    """Parse JSON, turning a syntax error into CV010 with its position."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ValidationError(
            f"{origin}: not valid JSON ({exc})",
            hint="check that the file is complete and is JSON",
        ) from None


def loads_inventory(data: bytes | str, origin: str = "input") -> Inventory:
    return inventory_from_dict(decode_json(data, origin))


def read_inventory(path: str | Path) -> Inventory:
    """Read and validate an inventory file."""
    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(
            f"{file_path}: no such file", hint="check the path"
        ) from None
    except OSError as exc:
        raise ValidationError(f"{file_path}: cannot be read ({exc.strerror})") from None
    return loads_inventory(data, str(file_path))


def dumps_inventory(inventory: Inventory, *, indent: bool = True) -> bytes:
    document = inventory.to_dict()
    try:
        option = orjson.OPT_INDENT_2 if indent else 0
        return orjson.dumps(document, option=option | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        # orjson refuses integers beyond 64 bits, which some exports hold.
        text = json.dumps(document, indent=2 if indent else None, default=str)
        return text.encode()


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as temp_file:
            temp_file.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain
        # write would: the old file's mode, or readable by all for a new one.
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_inventory(inventory: Inventory, path: str | Path) -> None:
    write_atomically(path, dumps_inventory(inventory))


def dump_inventory(inventory: Inventory, stream: IO[bytes]) -> None:
    stream.write(dumps_inventory(inventory))
    stream.write(b"\n")
