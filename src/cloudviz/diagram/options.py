"""Everything a caller can ask of a render, in one value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

VIEWS = ("architecture", "network", "dependencies")
THEMES = ("light", "dark")
FORMATS = ("svg", "png", "pdf", "drawio", "html", "mermaid", "dot", "json")
ENGINES = ("cloudviz", "graphviz")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What to draw and how; the same value for the CLI, the API and the cache.

    `collapse` holds `kind` or `tag:KEY`; `page` picks one page of a paginated
    render (None: all pages, which multi-page formats hold together).
    """

    format: str = "svg"
    view: str = "architecture"
    theme: str = "light"
    group_by: Literal["none", "resource-group"] = "none"
    collapse: str | None = None
    paginate: bool = False
    max_nodes_per_page: int = 500
    page: int | None = None
    engine: str = "cloudviz"
    graphviz_layout: Literal["dot", "sfdp"] = "dot"
    scale: float = 1.0
    dpi: int = 96
    timeout: float = 300.0

    def cache_key(self) -> str:
        """A stable text form of the options, for caches and ETags."""
        return "|".join(
            f"{name}={getattr(self, name)}" for name in self.__dataclass_fields__
        )
