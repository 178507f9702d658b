"""`--engine graphviz`: lay out SVG, PNG or PDF with Graphviz instead of ours.

The DOT writer's output is piped through `dot` (or `sfdp`, from
`options.graphviz_layout`) with `options.timeout` as the limit. Graphviz
missing, timing out or failing is a CV007 error that says what to do; no
partial output is returned.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Sequence

from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.writers.dot import render_dot
from cloudviz.errors import ValidationError, VisualizationError

log = logging.getLogger(__name__)

GRAPHVIZ_FORMATS = ("svg", "png", "pdf")
GRAPHVIZ_INSTALL_HINT = (
    "install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
    "`sudo yum install graphviz` (CentOS/RHEL), `brew install graphviz` (macOS) "
    "or `choco install graphviz` (Windows), then make sure `dot` is on the PATH; "
    "or leave out --engine graphviz to use CloudViz's own layout"
)


def graphviz_program(name: str) -> str:
    """The path of a Graphviz program, or CV007 with install hints."""
    found = shutil.which(name)
    if found is None:
        raise VisualizationError(
            f"Graphviz is not installed: failed to execute '{name}', make sure "
            "the Graphviz executables are on your system's PATH",
            hint=GRAPHVIZ_INSTALL_HINT,
        )
    return found


def render_with_graphviz(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    """The pages drawn by Graphviz in `options.format` (svg, png or pdf)."""
    if options.format not in GRAPHVIZ_FORMATS:
        raise ValidationError(
            f"--engine graphviz cannot write {options.format!r}",
            hint="use --format svg, png or pdf with --engine graphviz",
        )
    program = graphviz_program(options.graphviz_layout)
    command = [program, f"-T{options.format}"]
    if options.format == "png":
        command.append(f"-Gdpi={max(1, round(options.dpi * options.scale))}")
    elif options.scale != 1.0:
        command.append(f"-Gscale={options.scale}")

    source = render_dot(diagrams).encode("utf-8")
    started = time.perf_counter()
    try:
        finished = subprocess.run(
            command, input=source, capture_output=True, timeout=options.timeout
        )
    except subprocess.TimeoutExpired:
        raise VisualizationError(
            f"Graphviz ({options.graphviz_layout}) timed out after "
            f"{options.timeout:g} seconds",
            hint="raise visualization.limits.timeout, filter the inventory, "
            "paginate (--paginate), or use CloudViz's own engine, which is "
            "much faster on large estates",
        ) from None
    except OSError as error:
        raise VisualizationError(
            f"failed to execute '{options.graphviz_layout}': {error}",
            hint=GRAPHVIZ_INSTALL_HINT,
        ) from None

    errors = finished.stderr.decode("utf-8", "replace").strip()
    if finished.returncode != 0 or not finished.stdout:
        raise VisualizationError(
            f"Graphviz ({options.graphviz_layout}) failed: "
            + (errors.splitlines()[-1] if errors else f"exit {finished.returncode}"),
            hint="run with --format dot and check the file with "
            "`cloudviz validate --format dot FILE`",
        )
    log.info(
        "graphviz %s laid out %d pages in %.2fs",
        options.graphviz_layout,
        len(diagrams),
        time.perf_counter() - started,
    )
    return finished.stdout
