"""The JSON Schema of the inventory file format, printed by `cloudviz schema`."""

from __future__ import annotations

from typing import Any

from cloudviz.inventory.kinds import KINDS, PROVIDERS, RELATIONSHIP_TYPES
from cloudviz.inventory.model import SCHEMA_VERSION

_NULLABLE_TEXT = {"type": ["string", "null"]}
_TEXT = {"type": "string", "minLength": 1}


def inventory_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of `schema_version: 1` inventory files."""
    resource = {
        "type": "object",
        "required": ["id", "provider", "type", "kind", "name"],
        "properties": {
            "id": {**_TEXT, "description": "the provider's own unique id"},
            "provider": {"enum": list(PROVIDERS)},
            "type": {**_TEXT, "description": "the provider's type name, as found"},
            "kind": {"enum": list(KINDS)},
            "name": _TEXT,
            "account": _NULLABLE_TEXT,
            "region": _NULLABLE_TEXT,
            "zone": _NULLABLE_TEXT,
            "group": _NULLABLE_TEXT,
            "parent": {
                **_NULLABLE_TEXT,
                "description": "id of the resource that contains it for drawing",
            },
            "tags": {"type": "object", "additionalProperties": {"type": "string"}},
            "properties": {"type": "object"},
        },
    }
    relationship = {
        "type": "object",
        "required": ["source", "target", "type"],
        "properties": {
            "source": _TEXT,
            "target": _TEXT,
            "type": {"enum": list(RELATIONSHIP_TYPES)},
        },
    }
    error = {
        "type": "object",
        "required": ["provider", "scope", "code", "message"],
        "properties": {
            "provider": _TEXT,
            "scope": _TEXT,
            "code": {"type": "string", "pattern": "^CV0[0-9]{2}$"},
            "message": _TEXT,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cloudviz.dev/schema/inventory-v1.json",
        "title": "CloudViz inventory",
        "type": "object",
        "required": ["schema_version", "resources"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "name": _TEXT,
            "created_at": {"type": "string"},
            "source": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string"},
                    "detail": {"type": "object"},
                },
            },
            "resources": {"type": "array", "items": resource},
            "relationships": {"type": "array", "items": relationship},
            "errors": {"type": "array", "items": error},
        },
    }
