"""One page of a longer list, as every list endpoint answers it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from cloudviz.store.paging import Page

ItemT = TypeVar("ItemT")


class PageOut(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int = Field(description="How many match, over all pages.")
    offset: int
    limit: int

    @classmethod
    def of(cls, page: Page[Any], convert: Callable[[Any], ItemT]) -> PageOut[ItemT]:
        return cls(
            items=[convert(item) for item in page.items],
            total=page.total,
            offset=page.offset,
            limit=page.limit,
        )
