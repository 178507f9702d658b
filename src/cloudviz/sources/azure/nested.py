"""Reading nested JSON rows without trusting their shape.

Resource Graph rows are documents whose optional parts may be missing, null
or of another type than expected (an export edited by hand, an API version
that changed). These helpers return None or an empty list there instead of
raising, so one odd property never costs the whole import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def dig(value: Any, *path: str) -> Any:
    """`value[path[0]][path[1]]...`, or None where a step is missing."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def dig_str(value: Any, *path: str) -> str | None:
    """The non-empty string at `path`, or None."""
    found = dig(value, *path)
    return found if isinstance(found, str) and found else None


def dig_list(value: Any, *path: str) -> list[dict[str, Any]]:
    """The list at `path`, keeping only its objects."""
    found = dig(value, *path)
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, dict)]


def ids_in(items: Iterable[Any], *path: str) -> list[str]:
    """The string at `path` (default `id`) of each item that has one."""
    found = (dig_str(item, *(path or ("id",))) for item in items)
    return [value for value in found if value]


def compact(**values: Any) -> dict[str, Any]:
    """The keyword arguments that hold something (not None, "", [] or {})."""
    return {
        key: value for key, value in values.items() if value not in (None, "", [], {})
    }
