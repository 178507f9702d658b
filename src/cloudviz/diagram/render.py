"""The one rendering pipeline: inventory → view → collapse → pages → layout → writer.

The CLI, the API and jobs all call `render` (or `build_diagrams` when they want
the laid-out model itself), so every front door draws the same picture:

    >>> result = render(inventory, RenderOptions(format="svg"))
    >>> result.media_type, len(result.data) > 0
    ('image/svg+xml', True)

`options.timeout` bounds the whole render; running out of time raises CV007
and produces no bytes, so no caller can write half a diagram.
"""

from __future__ import annotations

import gc
import importlib
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from cloudviz.diagram.changes import ChangeMarks, merge_for_diff
from cloudviz.diagram.collapse import collapse_diagram
from cloudviz.diagram.deadline import Deadline, deadline_scope
from cloudviz.diagram.layout import layout_diagram
from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import FORMATS, RenderOptions
from cloudviz.diagram.paging import paginate
from cloudviz.diagram.views import build_view
from cloudviz.diagram.writers import Writer, writer_for
from cloudviz.errors import ValidationError, VisualizationError
from cloudviz.inventory.codec import write_atomically
from cloudviz.inventory.model import Inventory
from cloudviz.progress import NULL_PROGRESS, Progress

log = logging.getLogger("cloudviz.diagram")

FORMAT_ALIASES = {"graphviz": "dot", "gv": "dot", "md": "mermaid", "mmd": "mermaid"}


@dataclass(slots=True)
class RenderResult:
    """A finished render: the bytes and how to serve or save them."""

    data: bytes
    media_type: str
    extension: str
    notes: list[str] = field(default_factory=list)
    pages: int = 1  # pages in `data` (1 when --page picked one)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def write_to(self, path: str | Path) -> None:
        """Write atomically: a failure leaves no half-written file."""
        write_atomically(path, self.data)


def normalise_format(name: str) -> str:
    """`graphviz` → `dot`; raises CV010 for a format CloudViz cannot write."""
    output_format = FORMAT_ALIASES.get(name.lower(), name.lower())
    if output_format not in FORMATS:
        raise ValidationError(
            f"unknown diagram format {name!r}",
            hint="use one of: " + ", ".join(FORMATS) + " (graphviz means dot)",
        )
    return output_format


def build_diagrams(
    inventory: Inventory,
    options: RenderOptions,
    diff_against: Inventory | None = None,
    *,
    deadline: Deadline | None = None,
    timings: dict[str, float] | None = None,
    progress: Progress = NULL_PROGRESS,
) -> list[Diagram]:
    """The laid-out pages of a render (one unless `options.paginate`).

    With `options.page` set, only that page is laid out and returned.
    `diff_against` is the older inventory: its removed resources are drawn
    too, and every node and edge carries its diff `status`.
    """
    deadline = deadline or Deadline(options.timeout)
    timings = timings if timings is not None else {}
    clock = _Clock(timings, deadline, progress)

    marks: ChangeMarks | None = None
    if diff_against is not None:
        inventory, marks = merge_for_diff(diff_against, inventory)
        clock.lap("diff")
    diagram = build_view(inventory, options, marks, deadline)
    _note_inventory_gaps(diagram, inventory, marks)
    clock.lap("view")
    collapse_diagram(diagram, options.collapse)
    clock.lap("collapse")

    pages = [diagram]
    if options.paginate:
        pages = paginate(diagram, options.max_nodes_per_page)
        clock.lap("paginate")
    if options.page is not None:
        pages = [_select_page(pages, options.page)]
    for page in pages:
        layout_diagram(page, deadline)
    clock.lap("layout")
    return pages


def render(
    inventory: Inventory,
    options: RenderOptions,
    diff_against: Inventory | None = None,
    progress: Progress = NULL_PROGRESS,
) -> RenderResult:
    """Draw `inventory` in `options.format`; raises CV007 on failure or timeout.

    `progress` hears one step per stage (view, collapse, pages, layout, write).
    """
    output_format = normalise_format(options.format)
    if output_format != options.format:
        options = replace(options, format=output_format)
    deadline = Deadline(options.timeout)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    steps = 4 + (diff_against is not None) + options.paginate
    progress.begin(f"Drawing {len(inventory.resources):,} resources", steps)
    if options.engine == "graphviz":
        writer = _graphviz_writer(options)
    else:
        writer = writer_for(output_format)
    try:
        with deadline_scope(deadline), _cyclic_gc_paused():
            pages = build_diagrams(
                inventory,
                options,
                diff_against,
                deadline=deadline,
                timings=timings,
                progress=progress,
            )
            clock = _Clock(timings, deadline, progress)
            data = writer.write(pages, options)
            clock.lap("write")
    finally:
        progress.end()
    timings["total"] = time.perf_counter() - started
    notes = [note for page in pages[:1] for note in page.notes]
    log.info(
        "rendered %s resources as %s (%s view, %s pages, %s bytes) in %.3fs",
        len(inventory.resources),
        output_format,
        options.view,
        len(pages),
        len(data),
        timings["total"],
    )
    return RenderResult(
        data=data,
        media_type=writer.MEDIA_TYPE,
        extension=writer.EXTENSION,
        notes=notes,
        pages=len(pages),
        timings=timings,
    )


_GRAPHVIZ_MEDIA = {
    "svg": ("image/svg+xml", "svg"),
    "png": ("image/png", "png"),
    "pdf": ("application/pdf", "pdf"),
}


class _GraphvizWriter:
    """`--engine graphviz`: Graphviz lays out and draws instead of our engine.

    `cloudviz.diagram.graphviz_engine.render_with_graphviz(pages, options)`
    returns the bytes of `options.format` (svg, png or pdf) drawn by `dot` or
    `sfdp`; a build without that module answers CV007.
    """

    def __init__(self, engine: ModuleType, output_format: str) -> None:
        self.engine = engine
        self.MEDIA_TYPE, self.EXTENSION = _GRAPHVIZ_MEDIA.get(
            output_format, _GRAPHVIZ_MEDIA["svg"]
        )

    def write(self, diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
        data: bytes = self.engine.render_with_graphviz(list(diagrams), options)
        return data


def _graphviz_writer(options: RenderOptions) -> Writer:
    module_name = "cloudviz.diagram.graphviz_engine"
    try:
        engine = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        raise VisualizationError(
            "the Graphviz engine is not available in this build of CloudViz",
            hint="render with --engine cloudviz (the default), or install a "
            "CloudViz release that includes the Graphviz engine",
        ) from None
    return _GraphvizWriter(engine, options.format)


def _select_page(pages: list[Diagram], page: int) -> Diagram:
    if not 1 <= page <= len(pages):
        raise ValidationError(
            f"--page {page}: this render has {len(pages)} page(s)",
            hint=f"page 1 is the index of a paginated render; choose 1 to {len(pages)}",
        )
    return pages[page - 1]


def _note_inventory_gaps(
    diagram: Diagram, inventory: Inventory, marks: ChangeMarks | None
) -> None:
    filtered = inventory.source_detail.get("filtered")
    if isinstance(filtered, dict) and filtered.get("dropped"):
        diagram.notes.append(
            f"Filtered: {filtered.get('kept', 0):,} resources kept, "
            f"{filtered['dropped']:,} left out."
        )
    if inventory.errors:
        diagram.notes.append(
            f"Discovery could not read {len(inventory.errors):,} scopes; "
            "the picture may be incomplete (see the inventory's errors)."
        )
    if marks is not None:
        summary = marks.summary
        diagram.notes.append(
            "Changes: "
            + ", ".join(
                f"{count:,} {what.replace('_', ' ')}" for what, count in summary.items()
            )
            + "."
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a render allocates its model.

    A render makes hundreds of thousands of small objects and no reference
    cycles; the collector would scan the growing heap again and again (15% of
    the CPU time at 100,000 resources, growing faster than the estate).
    Reference counting still frees everything, and the collector resumes after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Clock:
    """Records the seconds each stage took and checks the deadline between."""

    def __init__(
        self, timings: dict[str, float], deadline: Deadline, progress: Progress
    ) -> None:
        self.timings = timings
        self.deadline = deadline
        self.progress = progress
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now
        self.progress.advance()
        self.deadline.check()
