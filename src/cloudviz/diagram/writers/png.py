"""PNG: the SVG drawing rasterised by cairosvg.

`--scale` multiplies the size and `--dpi` sets the resolution (96 is one
pixel per layout pixel; 192 doubles it). Cairo cannot make images wider or
taller than 32,767 pixels, and a picture of a huge estate at full size would
need gigabytes, so the scale is lowered to fit those limits (and the log says
so); SVG keeps every detail at any size.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.writers.cairo_backend import conversion_failed, load_cairosvg
from cloudviz.diagram.writers.svg import PAGE_GAP, render_svg

MEDIA_TYPE = "image/png"
EXTENSION = "png"

MAX_SIDE = 32_000  # cairo's limit is 32,767 pixels per side
MAX_PIXELS = 120_000_000  # about 480 MB of pixels

log = logging.getLogger("cloudviz.diagram")


def pixel_scale(width: float, height: float, options: RenderOptions) -> float:
    """The factor from layout pixels to image pixels, within cairo's limits."""
    wanted = options.scale * options.dpi / 96
    fits = min(
        MAX_SIDE / max(width, 1),
        MAX_SIDE / max(height, 1),
        (MAX_PIXELS / max(width * height, 1)) ** 0.5,
    )
    if wanted > fits:
        log.warning(
            "PNG of %sx%s at scale %.2f is too large; drawing at scale %.3f "
            "(use SVG, --collapse kind or --paginate for full detail)",
            int(width),
            int(height),
            wanted,
            fits,
        )
        return float(fits)
    return float(wanted)


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    cairosvg = load_cairosvg()
    width = max((d.width for d in diagrams), default=1)
    height = sum(d.height for d in diagrams) + PAGE_GAP * (len(diagrams) - 1)
    svg = render_svg(diagrams, options.theme, inline_glyphs=True).encode("utf-8")
    try:
        data: bytes = cairosvg.svg2png(
            bytestring=svg, scale=pixel_scale(width, height, options)
        )
    except (ValueError, MemoryError, OSError) as error:
        raise conversion_failed("png", error) from None
    return data
