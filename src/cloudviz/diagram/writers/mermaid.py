"""Mermaid flowcharts, always within Mermaid's default limits.

The output is a Markdown document: a title, the notes of the render, and one
fenced ```` ```mermaid ```` block per chart. GitHub, GitLab and most wikis draw
it as it is, `mmdc -i diagram.md` renders every block, and
`cloudviz validate --format mermaid diagram.md` checks every block with the
real Mermaid parser.

Mermaid refuses a diagram past `maxTextSize` (50,000 characters) or
`maxEdges` (500 edges) unless the page embedding it raises those limits, and
GitHub does not. So each page of the render is split, when it must be, into
several charts: whole groups (account, region, network...) stay together when
they fit, larger groups are opened up into their sub-groups, and a group with
too many resources of its own is cut into consecutive runs of them. Nothing
is collapsed or dropped except relationships whose two ends land on different
charts, which are counted. Each split is said in a `%%` comment inside the
chart, in the notes at the top of the document and on stderr. The size is
measured as Mermaid measures it (UTF-16 code units) plus one per line, so a
file whose line endings become CRLF still fits.

Ids are `n`/`g` plus hex digits of a hash of the model id: valid Mermaid
identifiers that never spell a keyword, and stable across renders. Every
character of a label outside a small safe set is written as a Mermaid entity
code (`#quot;`, `#60;`...), so names like `"]; <script>` or `%% x` stay text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.writers.identifiers import StableIds
from cloudviz.diagram.writers.labels import clean_text
from cloudviz.diagram.writers.mermaid_charts import ChartPlanner, Limits, MermaidChart
from cloudviz.diagram.writers.mermaid_syntax import (
    LABEL_LIMIT,
    escape_label,
    measured_size,
)

__all__ = [
    "EXTENSION",
    "LABEL_LIMIT",
    "MAX_EDGES",
    "MAX_TEXT_SIZE",
    "MEDIA_TYPE",
    "MermaidChart",
    "MermaidDocument",
    "build_document",
    "escape_label",
    "markdown_text",
    "measured_size",
    "write",
]

MEDIA_TYPE = "text/markdown; charset=utf-8"
EXTENSION = "md"

MAX_TEXT_SIZE = 50_000
MAX_EDGES = 500

log = logging.getLogger(__name__)


@dataclass(slots=True)
class MermaidDocument:
    """Every chart of a render, and what was done to fit the limits."""

    title: str
    charts: list[MermaidChart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    writer_notes: list[str] = field(default_factory=list)  # this writer's own

    def to_markdown(self) -> str:
        lines = [f"# {markdown_text(self.title)}", ""]
        if self.notes:
            lines += [f"- {markdown_text(note)}" for note in self.notes]
            lines.append("")
        many = len(self.charts) > 1
        for number, chart in enumerate(self.charts, start=1):
            if many:
                heading = f"Chart {number} of {len(self.charts)}: {chart.title}"
                lines += [f"## {markdown_text(heading)}", ""]
            lines += ["```mermaid", chart.text.rstrip("\n"), "```", ""]
        return "\n".join(lines)


def markdown_text(text: str) -> str:
    """Plain text for a Markdown heading or list item, never markup: `<`,
    `>` and `&` as HTML entities, the characters that start emphasis, code,
    links, tables or HTML backslash-escaped, and a leading `-`, `+`, `>`,
    `=` or `1.` escaped so it cannot open a block."""
    line = clean_text(text, 200)
    parts: list[str] = []
    for index, char in enumerate(line):
        if char in _MARKDOWN_ENTITIES:
            parts.append(_MARKDOWN_ENTITIES[char])
        elif (
            char in _MARKDOWN_SPECIAL
            or (index == 0 and char in "-+>=")
            or (char in ".)" and index and line[:index].isdigit())
        ):
            parts.append("\\" + char)
        else:
            parts.append(char)
    return "".join(parts)


_MARKDOWN_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_MARKDOWN_SPECIAL = frozenset("\\`*_[]#|~!")


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    """The Markdown document of `build_document`.

    What the writer did to fit Mermaid's limits (charts split, relationships
    left undrawn) is also added to the first page's `notes`, which the render
    pipeline reports (the CLI prints them on stderr)."""
    document = build_document(diagrams, options)
    if diagrams:
        known = diagrams[0].notes
        known += [note for note in document.writer_notes if note not in known]
    for note in document.writer_notes:
        log.info("mermaid: %s", note)
    return document.to_markdown().encode("utf-8")


def build_document(
    diagrams: Sequence[Diagram],
    options: RenderOptions,
    *,
    max_text_size: int = MAX_TEXT_SIZE,
    max_edges: int = MAX_EDGES,
) -> MermaidDocument:
    """Every page as one or more charts, each within the given limits."""
    title = diagrams[0].title if diagrams else "CloudViz diagram"
    document = MermaidDocument(title=title)
    ids = StableIds()
    limits = Limits(max_text_size, max_edges)

    for diagram in diagrams:
        document.notes.extend(diagram.notes)
        planner = ChartPlanner(diagram, ids, limits)
        charts = planner.charts()
        document.charts.extend(charts)
        own = planner.notes(len(charts))
        document.notes.extend(own)
        document.writer_notes.extend(own)
    return document
