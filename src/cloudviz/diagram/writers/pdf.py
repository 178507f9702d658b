"""PDF: vector output through cairosvg, one PDF page per diagram page.

A paginated render becomes a multi-page PDF: each page's SVG is drawn by
cairosvg onto one shared cairo PDF surface, which is resized and advanced
between pages. `--scale` enlarges the pages; `--dpi` sets how many pixels make
an inch (96 by default, so one layout pixel is 0.75 pt).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from cloudviz.diagram.deadline import check_current_deadline
from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.writers.cairo_backend import conversion_failed, load_cairosvg
from cloudviz.diagram.writers.svg import render_svg

MEDIA_TYPE = "application/pdf"
EXTENSION = "pdf"


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    cairosvg = load_cairosvg()
    try:
        if len(diagrams) == 1:
            svg = render_svg(diagrams, options.theme, inline_glyphs=True).encode(
                "utf-8"
            )
            data: bytes = cairosvg.svg2pdf(
                bytestring=svg, scale=options.scale, dpi=options.dpi
            )
            return data
        return _multi_page(diagrams, options)
    except (ValueError, MemoryError, OSError) as error:
        raise conversion_failed("pdf", error) from None


def _multi_page(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    import cairocffi
    from cairosvg.parser import Tree
    from cairosvg.surface import PDFSurface

    buffer = io.BytesIO()
    shared = cairocffi.PDFSurface(buffer, 1, 1)

    class _SharedPage(PDFSurface):  # type: ignore[misc]
        """A cairosvg surface that draws on the next page of `shared`."""

        def _create_surface(self, width: float, height: float) -> tuple[Any, ...]:
            shared.set_size(width, height)
            return shared, width, height

    for diagram in diagrams:
        check_current_deadline()
        svg = render_svg([diagram], options.theme, inline_glyphs=True).encode("utf-8")
        page = _SharedPage(Tree(bytestring=svg), None, options.dpi, scale=options.scale)
        page.context.show_page()
    shared.finish()
    return buffer.getvalue()
