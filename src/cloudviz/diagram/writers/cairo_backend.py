"""The one place CloudViz calls cairosvg, for PNG and PDF.

cairosvg (and the cairo C library under it) is an optional dependency: a
missing one is a CV007 with the commands that install it, not a traceback.
"""

from __future__ import annotations

import logging
from types import ModuleType

from cloudviz.errors import VisualizationError

log = logging.getLogger("cloudviz.diagram")

INSTALL_HINT = (
    "install the cairo library and its Python bindings: "
    "`sudo apt-get install libcairo2-dev` (Debian/Ubuntu; `yum install "
    "cairo-devel` on RHEL, `brew install cairo` on macOS), then "
    "`pip install cairosvg` (or `pip install 'cloudviz[render]'`); "
    "SVG, HTML and JSON need none of this"
)


def load_cairosvg() -> ModuleType:
    """The cairosvg module, or CV007 saying how to install it."""
    try:
        import cairosvg
    except (ImportError, OSError) as error:
        # OSError: the Python package is there but libcairo is not.
        raise VisualizationError(
            f"PNG and PDF output need cairosvg and the cairo library ({error})",
            hint=INSTALL_HINT,
        ) from None
    module: ModuleType = cairosvg
    return module


def conversion_failed(output_format: str, error: Exception) -> VisualizationError:
    log.debug("cairosvg failed", exc_info=True)
    return VisualizationError(
        f"could not convert the diagram to {output_format.upper()}: "
        f"{type(error).__name__}: {error}",
        hint="render --format svg to check the diagram, or lower --scale/--dpi "
        "for very large estates",
    )
