"""Writers turn laid-out diagrams into one output format each.

A writer module provides `MEDIA_TYPE`, `EXTENSION` and
`write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes`, where
`diagrams` are the pages of one render (one element unless paginated). Modules
are imported on first use so that, for example, cairosvg loads only for PNG.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Protocol, cast

from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.errors import ValidationError, VisualizationError

WRITER_MODULES = {
    "svg": "cloudviz.diagram.writers.svg",
    "png": "cloudviz.diagram.writers.png",
    "pdf": "cloudviz.diagram.writers.pdf",
    "html": "cloudviz.diagram.writers.html",
    "json": "cloudviz.diagram.writers.json_writer",
    "drawio": "cloudviz.diagram.writers.drawio",
    "mermaid": "cloudviz.diagram.writers.mermaid",
    "dot": "cloudviz.diagram.writers.dot",
}


class Writer(Protocol):
    MEDIA_TYPE: str
    EXTENSION: str

    def write(self, diagrams: Sequence[Diagram], options: RenderOptions) -> bytes: ...


def writer_for(output_format: str) -> Writer:
    module_name = WRITER_MODULES.get(output_format)
    if module_name is None:
        raise ValidationError(
            f"unknown diagram format {output_format!r}",
            hint="use one of: " + ", ".join(WRITER_MODULES),
        )
    try:
        module: ModuleType = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise  # a writer that is present but misses a dependency says so itself
        raise VisualizationError(
            f"the {output_format} writer is not available in this build of CloudViz",
            hint="choose another --format (svg, png, pdf, html or json), or "
            "install a CloudViz release that includes it",
        ) from None
    return cast(Writer, module)
