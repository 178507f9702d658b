"""diagrams.net (draw.io) files, laid out and ready to edit.

An `mxfile` holds one `diagram` per page. Each group of the model is a
container cell (`container=1`) whose children carry their geometry relative
to it, so moving a VPC in diagrams.net moves everything inside; each
relationship is an edge cell whose `source` and `target` are the cells of its
two ends, so edges follow the boxes they join. Positions and sizes are the
model's layout, the same one the SVG shows.

Cell ids are `g`/`n`/`e` plus hex digits of a hash of the model id: stable
across renders of the same inventory, so two exports can be compared and an
edited file matched to a new render. Labels are plain text (`html=0`): a name
holding markup is shown as typed, never interpreted. Resources are `object`
cells whose `resource_id`, `kind`, `provider` and `status` attributes show in
diagrams.net's Edit Data dialog, with their details as the tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence

from cloudviz import __version__
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
    STATUS_ORDER,
    STATUS_SWATCHES,
    Swatch,
    provider_swatch,
    shape_family,
)

MEDIA_TYPE = "application/vnd.jgraph.mxfile+xml"
EXTENSION = "drawio"

LABEL_LIMIT = 60
DETAIL_LIMIT = 40
TOOLTIP_LIMIT = 200

_SHAPE_STYLES = {
    "box": "rounded=1;arcSize=12;",
    "store": "shape=cylinder3;boundedLbl=1;size=8;",
    "function": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.12;",
    "queue": "shape=parallelogram;perimeter=parallelogramPerimeter;size=0.08;",
    "edge": "ellipse;",
    "guard": "shape=process;size=0.06;rounded=1;",
    "ref": "shape=note;size=12;dashed=1;",
}
# Replaced one by one, `&` first: far faster than str.translate with a dict
# on the many style strings that hold none of them.
_XML_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\n", "&#10;"),
    ("\t", "&#9;"),
    ("\r", "&#13;"),
)


def attribute(text: str) -> str:
    """An XML attribute value (in double quotes) holding `text` literally;
    line breaks are kept as character references."""
    for char, escaped in _XML_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    return render_drawio(diagrams).encode("utf-8")


def render_drawio(diagrams: Sequence[Diagram]) -> str:
    """The `mxfile` XML of every page of a render."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<mxfile host="CloudViz" agent="CloudViz {attribute(__version__)}"'
        ' type="device" compressed="false">',
    ]
    for diagram in diagrams:
        lines += _DrawioPage(diagram).lines(many=len(diagrams) > 1)
    lines.append("</mxfile>")
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _geometry(x: float, y: float, width: float, height: float) -> str:
    return (
        f'<mxGeometry x="{_number(x)}" y="{_number(y)}" width="{_number(width)}"'
        f' height="{_number(height)}" as="geometry"/>'
    )


def _colours(swatch: Swatch) -> str:
    return (
        f"fillColor={swatch.fill};strokeColor={swatch.stroke};fontColor={swatch.text};"
    )


def _status_style(status: str | None) -> str:
    swatch = STATUS_SWATCHES.get(status or "")
    if swatch is None:
        return ""
    style = _colours(swatch) + "strokeWidth=2;"
    if status == "removed":
        style += "dashed=1;"
    return style


class _DrawioPage:
    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.ids = StableIds()
        nesting = Nesting(diagram)
        self.groups = nesting.groups
        self.children = nesting.children
        self.members = nesting.members
        self.cell_ids = {g.id: self.ids.get("g", g.id) for g in diagram.groups}
        self.cell_ids.update({n.id: self.ids.get("n", n.id) for n in diagram.nodes})

    def lines(self, many: bool) -> list[str]:
        diagram = self.diagram
        name = clean_text(diagram.title, 80)
        if many:
            name = f"Page {diagram.page}: {name}"
        width = diagram.width + (260 if diagram.diff else 0)
        out = [
            f'  <diagram id="cloudviz-page-{diagram.page}" name="{attribute(name)}">',
            '    <mxGraphModel dx="0" dy="0" grid="1" gridSize="10" guides="1"'
            ' tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1"'
            f' pageWidth="{_number(max(width, 850))}"'
            f' pageHeight="{_number(max(diagram.height, 1100))}"'
            ' math="0" shadow="0">',
            "      <root>",
            '        <mxCell id="0"/>',
            '        <mxCell id="1" parent="0"/>',
        ]
        cells: list[str] = []
        self._emit(None, cells)
        for edge in diagram.edges:
            cells += self._edge(edge)
        if diagram.diff:
            cells += self._legend()
        out += ["        " + cell for cell in cells]
        out += ["      </root>", "    </mxGraphModel>", "  </diagram>"]
        return out

    def _origin(self, owner: str | None) -> tuple[float, float]:
        if owner is None:
            return 0.0, 0.0
        group = self.groups[owner]
        return group.x, group.y

    def _parent_cell(self, owner: str | None) -> str:
        return "1" if owner is None else self.cell_ids[owner]

    def _emit(self, owner: str | None, out: list[str]) -> None:
        """Containers before their children, as diagrams.net expects."""
        for group in self.children[owner]:
            out += self._group(group, owner)
            self._emit(group.id, out)
        for node in self.members[owner]:
            out += self._node(node, owner)

    def _group(self, group: Group, owner: str | None) -> list[str]:
        stroke = GROUP_STROKE
        if group.level == "provider":
            stroke = provider_swatch(group.provider).stroke
        style = (
            "rounded=1;arcSize=4;whiteSpace=wrap;html=0;container=1;collapsible=1;"
            "recursiveResize=0;verticalAlign=top;align=left;spacingLeft=8;"
            f"fontStyle=1;fontColor=#3E4C59;fillColor=none;strokeColor={stroke};"
        )
        if group.level == "subnet":
            style += "dashed=1;"
        style += _status_style(group.status)
        data = {"level": clean_text(group.level, 40)}
        return self._object_cell(
            group.id, group, owner, group_caption(group), style, data
        )

    def _node(self, node: Node, owner: str | None) -> list[str]:
        family = "ref" if node.page_ref is not None else shape_family(node.kind)
        swatch = PAGE_REF_SWATCH if family == "ref" else provider_swatch(node.provider)
        style = (
            _SHAPE_STYLES[family]
            + "whiteSpace=wrap;html=0;fontSize=11;"
            + _colours(swatch)
        )
        if node.count > 1:
            style += "strokeWidth=2;"
        style += _status_style(node.status)
        data = {
            "tooltip": _tooltip(node),
            "kind": clean_text(node.kind, 60),
            "provider": clean_text(node.provider, 20),
        }
        return self._object_cell(node.id, node, owner, node_caption(node), style, data)

    def _object_cell(
        self,
        model_id: str,
        item: Group | Node,
        owner: str | None,
        caption: tuple[str, str],
        style: str,
        data: dict[str, str],
    ) -> list[str]:
        """A vertex wrapped in an `object` that carries its data, placed
        relative to the container it sits in."""
        title, second = caption
        label = clean_text(title, LABEL_LIMIT)
        if second:
            label += "\n" + clean_text(second, DETAIL_LIMIT)
        data = {"label": label, **data}
        if item.resource_id:
            data["resource_id"] = clean_text(item.resource_id, 300)
        if item.status:
            data["status"] = clean_text(item.status, 20)
        attributes = " ".join(
            f'{key}="{attribute(value)}"' for key, value in data.items()
        )

        origin_x, origin_y = self._origin(owner)
        geometry = _geometry(
            item.x - origin_x, item.y - origin_y, item.width, item.height
        )
        return [
            f'<object id="{self.cell_ids[model_id]}" {attributes}>',
            f'  <mxCell style="{attribute(style)}" vertex="1"'
            f' parent="{self._parent_cell(owner)}">',
            f"    {geometry}",
            "  </mxCell>",
            "</object>",
        ]

    def _edge(self, edge: Edge) -> list[str]:
        source = self.cell_ids.get(edge.source)
        target = self.cell_ids.get(edge.target)
        if source is None or target is None:
            return []
        style = (
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=0;endArrow=block;"
            "endFill=1;strokeColor=#52606D;fontSize=9;fontColor=#52606D;"
        )
        swatch = STATUS_SWATCHES.get(edge.status or "")
        if swatch is not None:
            style += f"strokeColor={swatch.stroke};strokeWidth=2;"
            if edge.status == "removed":
                style += "dashed=1;"
        value = clean_text(edge_caption(edge), 30)
        cell = (
            f'<mxCell id="{self.ids.get("e", edge.id)}" value="{attribute(value)}"'
            f' style="{attribute(style)}" edge="1" parent="1" source="{source}"'
            f' target="{target}">'
        )
        bends = edge.points[1:-1]
        if not bends:
            return [cell, '  <mxGeometry relative="1" as="geometry"/>', "</mxCell>"]
        points = "".join(
            f'<mxPoint x="{_number(x)}" y="{_number(y)}"/>' for x, y in bends
        )
        return [
            cell,
            '  <mxGeometry relative="1" as="geometry">',
            f'    <Array as="points">{points}</Array>',
            "  </mxGeometry>",
            "</mxCell>",
        ]

    def _legend(self) -> list[str]:
        x = self.diagram.width + 40
        cells = [
            '<mxCell id="legend" value="Legend" style="rounded=1;whiteSpace=wrap;'
            "html=0;container=1;collapsible=0;verticalAlign=top;align=left;"
            f'spacingLeft=8;fontStyle=1;fillColor=#FFFFFF;strokeColor={GROUP_STROKE};"'
            ' vertex="1" parent="1">',
            "  " + _geometry(x, 0, 200, 40 + 50 * len(STATUS_ORDER)),
            "</mxCell>",
        ]
        for index, status in enumerate(STATUS_ORDER):
            style = "rounded=1;whiteSpace=wrap;html=0;" + _status_style(status)
            cells += [
                f'<mxCell id="legend-{status}" value="{status}" style="{style}"'
                ' vertex="1" parent="legend">',
                "  " + _geometry(20, 35 + 50 * index, 160, 36),
                "</mxCell>",
            ]
        return cells


def _tooltip(node: Node) -> str:
    lines = [node.resource_id or node.id, node.kind]
    lines += [f"{key}: {value}" for key, value in list(node.details.items())[:12]]
    return "\n".join(clean_text(line, TOOLTIP_LIMIT) for line in lines)
