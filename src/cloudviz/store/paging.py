"""Pages of results and the SQL LIKE patterns the filters use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cloudviz.errors import ValidationError

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of a longer ordered list; `total` counts the whole list."""

    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [_as_dict(item) for item in self.items],
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
        }


def _as_dict(item: Any) -> Any:
    to_dict = getattr(item, "to_dict", None)
    return to_dict() if callable(to_dict) else item


@dataclass(frozen=True, slots=True)
class PageRequest:
    offset: int = 0
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.offset < 0:
            raise ValidationError("offset must be 0 or more")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}")


def has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def glob_to_like(value: str) -> str:
    """A shell glob (`network.*`) as a LIKE pattern escaped with a backslash."""
    return escape_like(value).replace("*", "%").replace("?", "_")


def contains_like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, taken literally."""
    return f"%{escape_like(text)}%"
