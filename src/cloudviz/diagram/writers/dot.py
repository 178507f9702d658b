"""Graphviz DOT: one `digraph` with a `cluster_*` subgraph per group.

Groups nest as clusters (provider ⊃ account ⊃ region ⊃ network ⊃ subnet),
resources are nodes shaped by kind and coloured by provider, relationships
are labelled edges, and a diff colours added, removed and changed items and
adds a legend. A render of several pages becomes one graph whose top-level
clusters are the pages, so `dot -Tsvg` draws the whole file.

The DOT holds no coordinates: Graphviz lays it out (`cloudviz render
--engine graphviz`, or `dot -Tsvg diagram.dot`). Every id is a quoted,
hash-derived id stable across renders; every label and tooltip is a quoted
string with backslashes and quotes escaped, so a `\\N` or `"` in a name stays
text, and user text never reaches Graphviz's HTML-like labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from cloudviz.diagram.model import Diagram, Edge, Group, Node
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.writers.identifiers import StableIds
from cloudviz.diagram.writers.labels import (
    clean_text,
    edge_caption,
    group_caption,
    node_caption,
)
from cloudviz.diagram.writers.nesting import Nesting
from cloudviz.diagram.writers.text_styles import (
    GROUP_STROKE,
    PAGE_REF_SWATCH,
    PROVIDER_SWATCHES,
    STATUS_ORDER,
    STATUS_SWATCHES,
    provider_swatch,
    shape_family,
)

MEDIA_TYPE = "text/vnd.graphviz; charset=utf-8"
EXTENSION = "dot"

LABEL_LIMIT = 60
DETAIL_LIMIT = 40
TOOLTIP_LIMIT = 120

_SHAPES = {
    "box": "box",
    "store": "cylinder",
    "function": "hexagon",
    "queue": "cds",
    "edge": "oval",
    "guard": "octagon",
    "ref": "note",
}
_FONT = "Helvetica"


def quote(text: str) -> str:
    """A DOT quoted string holding `text` literally (already one line)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(*lines: str, limit: int = LABEL_LIMIT) -> str:
    """Several cleaned lines as one quoted label, split by DOT's `\\n`.

    Graphviz decodes HTML entities (`&amp;`, `&#35;`) in labels, so `&` is
    written as `&amp;` to show a name exactly as it is."""
    parts = [clean_text(line, limit).replace("&", "&amp;") for line in lines if line]
    escaped = [part.replace("\\", "\\\\").replace('"', '\\"') for part in parts]
    return '"' + "\\n".join(escaped) + '"'


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    return render_dot(diagrams).encode("utf-8")


def render_dot(diagrams: Sequence[Diagram]) -> str:
    """The DOT text of every page of a render, as one graph."""
    title = diagrams[0].title if diagrams else "CloudViz diagram"
    view = diagrams[0].view if diagrams else "architecture"
    lines = [
        "digraph cloudviz {",
        f"  graph [label={label(title, limit=120)}, labelloc=t, fontname={_FONT},"
        ' fontsize=16, charset="UTF-8", compound=true, newrank=true,'
        f" rankdir={'LR' if view == 'dependencies' else 'TB'},"
        " nodesep=0.25, ranksep=0.45];",
        f'  node [shape=box, style="rounded,filled", fontname={_FONT},'
        " fontsize=10, margin=0.08];",
        f'  edge [fontname={_FONT}, fontsize=8, color="#52606D", arrowsize=0.7];',
    ]
    paged = len(diagrams) > 1
    for diagram in diagrams:
        page = _DotPage(
            diagram, StableIds(), prefix=f"p{diagram.page}_" if paged else ""
        )
        lines += page.lines(paged)
    if diagrams:
        lines += _legend(diagrams)
    lines.append("}")
    return "\n".join(lines) + "\n"


class _DotPage:
    def __init__(self, diagram: Diagram, ids: StableIds, prefix: str) -> None:
        self.diagram = diagram
        self.prefix = prefix
        self.ids = ids
        self.nesting = Nesting(diagram)
        self.groups = self.nesting.groups
        self.children = self.nesting.children
        self.members = self.nesting.members
        self.node_ids = {node.id for node in diagram.nodes}
        self.node_groups = {node.id: node.group for node in diagram.nodes}
        self.anchored = {
            end
            for edge in diagram.edges
            for end in (edge.source, edge.target)
            if end in self.groups
        }

    def node_id(self, model_id: str) -> str:
        return quote(self.prefix + self.ids.get("n", model_id))

    def cluster_id(self, model_id: str) -> str:
        return quote(f"cluster_{self.prefix}{self.ids.get('g', model_id)}")

    def anchor_id(self, model_id: str) -> str:
        return quote(self.prefix + self.ids.get("a", model_id))

    def lines(self, paged: bool) -> list[str]:
        body: list[str] = []
        depth = 2 if paged else 1
        self._emit(None, depth, body)
        body += self._edges(depth)
        if not paged:
            return body
        diagram = self.diagram
        heading = f"Page {diagram.page} of {diagram.pages}: {diagram.title}"
        return [
            f"  subgraph {quote(f'cluster_page_{diagram.page}')} {{",
            f"    graph [label={label(heading, limit=120)}, style=dashed,"
            f' color="{GROUP_STROKE}"];',
            *body,
            "  }",
        ]

    def _emit(self, owner: str | None, depth: int, out: list[str]) -> None:
        indent = "  " * depth
        if owner is not None and owner in self.anchored:
            out.append(
                f"{indent}{self.anchor_id(owner)} [shape=point, style=invis,"
                ' width=0.01, height=0.01, label=""];'
            )
        for node in self.members[owner]:
            out.append(indent + self._node_statement(node))
        for group in self.children[owner]:
            out.append(f"{indent}subgraph {self.cluster_id(group.id)} {{")
            out.append(f"{indent}  graph [{self._group_attributes(group)}];")
            self._emit(group.id, depth + 1, out)
            out.append(f"{indent}}}")

    def _node_statement(self, node: Node) -> str:
        family = "ref" if node.page_ref is not None else shape_family(node.kind)
        swatch = PAGE_REF_SWATCH if family == "ref" else provider_swatch(node.provider)
        swatch = STATUS_SWATCHES.get(node.status or "", swatch)
        styles = ["filled", "dashed"] if family == "ref" else ["rounded", "filled"]
        if node.count > 1:
            styles.append("bold")
        if node.status == "removed":
            styles.append("dashed")
        name, second = node_caption(node)
        attributes = [
            f"label={label(name, clean_text(second, DETAIL_LIMIT))}",
            f"shape={_SHAPES[family]}",
            f'style="{",".join(styles)}"',
            f'fillcolor="{swatch.fill}"',
            f'color="{swatch.stroke}"',
            f"tooltip={label(_tooltip(node), limit=TOOLTIP_LIMIT)}",
        ]
        if node.status in STATUS_SWATCHES:
            attributes.append("penwidth=2")
        return f"{self.node_id(node.id)} [{', '.join(attributes)}];"

    def _group_attributes(self, group: Group) -> str:
        stroke = GROUP_STROKE
        if group.level == "provider":
            stroke = provider_swatch(group.provider).stroke
        status = STATUS_SWATCHES.get(group.status or "")
        dashed = group.level == "subnet" or group.status == "removed"
        attributes = [
            f"label={label(*group_caption(group))}",
            'labeljust="l"',
            f'color="{status.stroke if status else stroke}"',
            'fontcolor="#3E4C59"',
            f'style="{"rounded,dashed" if dashed else "rounded"}"',
        ]
        if status is not None:
            attributes.append("penwidth=2")
        return ", ".join(attributes)

    def _edges(self, depth: int) -> list[str]:
        indent = "  " * depth
        out: list[str] = []
        for edge in self.diagram.edges:
            statement = self._edge_statement(edge)
            if statement is not None:
                out.append(indent + statement)
        return out

    def _enclosing(self, model_id: str) -> set[str]:
        """The groups that hold a node or group (a group holds itself)."""
        if model_id in self.groups:
            return set(self.nesting.ancestors(model_id))
        return set(self.nesting.ancestors(self.node_groups.get(model_id)))

    def _edge_statement(self, edge: Edge) -> str | None:
        ends: list[str] = []
        attributes = [f"label={label(edge_caption(edge), limit=30)}"]
        pairs = (
            (edge.source, edge.target, "ltail"),
            (edge.target, edge.source, "lhead"),
        )
        for end, other, clip in pairs:
            if end in self.node_ids:
                ends.append(self.node_id(end))
            elif end in self.groups:
                ends.append(self.anchor_id(end))
                # Clipping at a cluster that holds the other end is an error.
                if end not in self._enclosing(other):
                    attributes.append(f"{clip}={self.cluster_id(end)}")
            else:
                return None
        status = STATUS_SWATCHES.get(edge.status or "")
        if status is not None:
            attributes += [f'color="{status.stroke}"', "penwidth=2"]
            if edge.status == "removed":
                attributes.append("style=dashed")
        return f"{ends[0]} -> {ends[1]} [{', '.join(attributes)}];"


def _tooltip(node: Node) -> str:
    parts = [node.resource_id or node.id, node.kind]
    parts += [f"{key}: {value}" for key, value in list(node.details.items())[:6]]
    return " | ".join(clean_text(part, 60) for part in parts)


def _legend(diagrams: Sequence[Diagram]) -> list[str]:
    providers = sorted(
        {node.provider for diagram in diagrams for node in diagram.nodes}
        & set(PROVIDER_SWATCHES)
    )
    statuses = STATUS_ORDER if any(diagram.diff for diagram in diagrams) else ()
    if not statuses and len(providers) < 2:
        return []
    lines = [
        '  subgraph "cluster_legend" {',
        f'    graph [label="Legend", style=rounded, color="{GROUP_STROKE}"];',
    ]
    for provider in providers:
        swatch = PROVIDER_SWATCHES[provider]
        lines.append(
            f'    "legend_{provider}" [label="{provider.upper()}",'
            f' fillcolor="{swatch.fill}", color="{swatch.stroke}"];'
        )
    for status in statuses:
        swatch = STATUS_SWATCHES[status]
        style = "rounded,filled,dashed" if status == "removed" else "rounded,filled"
        lines.append(
            f'    "legend_{status}" [label="{status}", fillcolor="{swatch.fill}",'
            f' color="{swatch.stroke}", penwidth=2, style="{style}"];'
        )
    lines.append("  }")
    return lines
