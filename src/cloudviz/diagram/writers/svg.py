"""SVG: the laid-out diagram as one self-contained, script-free SVG document.

Each group, node and edge carries a `<title>` with its details (browsers show
it on hover). Colours live in one `<style>` sheet per theme, so elements carry
only short class names; glyphs are defined once and reused with `<use>`.
Every piece of text is escaped and cleaned of characters XML forbids.

Several pages (a paginated render with no `--page`) are stacked top to bottom
in one document; each page is also an SVG `<view>` (`#view-page-3`), and stub
nodes link to the view of the page they point to.

The document is built as a list of strings joined once: no DOM, so 100,000
nodes take well under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cloudviz.diagram.deadline import CHECK_EVERY, check_current_deadline
from cloudviz.diagram.escape import truncate, xml_escape
from cloudviz.diagram.layout import (
    LEGEND_HEIGHT,
    MARGIN,
    MAX_NOTES,
    NOTE_HEIGHT,
    TITLE_HEIGHT,
)
from cloudviz.diagram.model import Diagram, Edge, Group, Node
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.style import (
    GLYPHS,
    LEGEND_SPACING,
    LEGEND_SWATCH,
    PROVIDER_COLOURS,
    RELATIONSHIP_COLOURS,
    RELATIONSHIP_DASHES,
    STATUS_COLOURS,
    Theme,
    glyph_id,
    glyph_key,
    kind_name,
    legend_entries,
    theme_named,
)

MEDIA_TYPE = "image/svg+xml"
EXTENSION = "svg"

PAGE_GAP = 48  # between stacked pages
FONT = "'DejaVu Sans', Verdana, Arial, sans-serif"
LABEL_CHAR = 7.6  # width of a 12.5-13px bold character
DETAIL_CHAR = 6.1  # average width of an 11px character
GLYPH = 24
TITLE_CHAR = 10.5


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    return render_svg(diagrams, options.theme).encode("utf-8")


def render_svg(
    diagrams: Sequence[Diagram],
    theme_name: str,
    *,
    prolog: bool = True,
    prefix_ids: bool = False,
    inline_glyphs: bool = False,
) -> str:
    """The SVG text of `diagrams` (one page, or several stacked).

    Element ids are the model's ids, prefixed `p<page>-` when pages are
    stacked or `prefix_ids` asks for it (pages side by side in one HTML page).
    `inline_glyphs` repeats each glyph's shapes instead of `<use>`-ing one
    definition: bigger, but much faster for cairosvg (PNG, PDF).
    """
    glyph_markup = _glyph_inline if inline_glyphs else _glyph_use
    theme = theme_named(theme_name)
    stacked = len(diagrams) > 1
    width = max((d.width for d in diagrams), default=0)
    height = sum(d.height for d in diagrams) + PAGE_GAP * (len(diagrams) - 1)
    title = diagrams[0].title if diagrams else "CloudViz diagram"
    parts: list[str] = []
    if prolog:
        parts.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    w, h = f"{width:.10g}", f"{height:.10g}"
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" class="cloudviz theme-{theme.name}">\n'
        f"<title>{xml_escape(title)}</title>\n"
    )
    parts.append(f"<style>{stylesheet(theme)}</style>\n")
    parts.append(_defs(diagrams, inline_glyphs))
    parts.append(f'<rect class="bg" x="0" y="0" width="{w}" height="{h}"/>\n')
    top = 0.0
    for diagram in diagrams:
        prefix = f"p{diagram.page}-" if stacked or prefix_ids else ""
        if stacked:
            parts.append(
                f'<view id="view-page-{diagram.page}" '
                f'viewBox="0 {top:.10g} {diagram.width:.10g} {diagram.height:.10g}"/>\n'
                f'<g id="page-{diagram.page}" class="page" '
                f'transform="translate(0,{top:.10g})">\n'
            )
        _page(parts, diagram, prefix, stacked, glyph_markup)
        if stacked:
            parts.append("</g>\n")
        top += diagram.height + PAGE_GAP
    parts.append("</svg>\n")
    return "".join(parts)


# -- style --------------------------------------------------------------------


def stylesheet(theme: Theme) -> str:
    """The CSS of `theme` for CloudViz SVG (also used by the HTML page)."""
    rules = [
        f".bg{{fill:{theme.background}}}",
        f"text{{font-family:{FONT};fill:{theme.text}}}",
        ".t{font-size:18px;font-weight:bold}",
        f".note,.lg text{{font-size:11px;fill:{theme.muted}}}",
        ".g>rect{stroke-width:1.2}",
        ".g>text{font-size:13px;font-weight:bold}",
        f".g>text.gd{{font-size:11px;font-weight:normal;fill:{theme.muted}}}",
        f".n>rect.b,.n>rect.k{{fill:{theme.node_fill};stroke:{theme.node_stroke};"
        "stroke-width:1}",
        ".n>text.l1{font-size:12.5px;font-weight:bold}",
        f".n>text.l2{{font-size:11px;fill:{theme.muted}}}",
        f".e{{fill:none;stroke:{theme.edge};stroke-width:1.4;"
        "stroke-linejoin:round;marker-end:url(#a-default)}",
        ".e.m{stroke-width:2.6}",
        ".stub>rect.b{stroke-dasharray:4 3}",
    ]
    for level, style in theme.levels.items():
        dash = ";stroke-dasharray:6 4" if style.dashed else ""
        rules.append(
            f".lv-{level}>rect{{fill:{style.fill};stroke:{style.stroke}{dash}}}"
        )
    for provider, colour in PROVIDER_COLOURS.items():
        rules.append(
            f".p-{provider}>rect.a,.p-{provider}>use,.p-{provider}>.gl"
            f"{{fill:{colour}}}"
            f".lv-provider.p-{provider}>rect{{stroke:{colour};stroke-width:2}}"
            f".lv-provider.p-{provider}>text{{fill:{colour}}}"
        )
    for rel, colour in RELATIONSHIP_COLOURS.items():
        pattern = RELATIONSHIP_DASHES.get(rel)
        dash_rule = f";stroke-dasharray:{pattern}" if pattern else ""
        rules.append(f".r-{rel}{{stroke:{colour};marker-end:url(#a-{rel}){dash_rule}}}")
    for status, colour in STATUS_COLOURS.items():
        rules.append(
            f".s-{status}>rect.b,.g.s-{status}>rect{{stroke:{colour};stroke-width:3}}"
            f".e.s-{status}{{stroke:{colour};stroke-width:2.4;"
            f"marker-end:url(#a-{status})}}"
            f".n.s-{status}>text.l1{{fill:{colour}}}"
        )
    rules.append(
        ".s-removed>rect.b,.g.s-removed>rect,.e.s-removed{stroke-dasharray:6 4}"
    )
    rules.append(".s-removed{opacity:.8}")
    rules.append(f".x{{stroke:{STATUS_COLOURS['removed']};stroke-width:1.5}}")
    return "".join(rules)


def _defs(diagrams: Sequence[Diagram], inline_glyphs: bool) -> str:
    kinds = {node.kind for d in diagrams for node in d.nodes}
    kinds.update(g.kind for d in diagrams for g in d.groups if g.kind)
    glyphs = [] if inline_glyphs else sorted({glyph_id(k): k for k in kinds}.items())
    parts = ["<defs>\n"]
    for element_id, kind in glyphs:
        parts.append(f'<g id="{element_id}">{GLYPHS.get(kind, GLYPHS["other"])}</g>\n')
    colours = {"default": "#64748B", **RELATIONSHIP_COLOURS, **STATUS_COLOURS}
    for name, colour in colours.items():
        parts.append(
            f'<marker id="a-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto" '
            f'markerUnits="userSpaceOnUse"><path d="M0 0L10 5L0 10z" '
            f'fill="{colour}"/></marker>\n'
        )
    parts.append("</defs>\n")
    return "".join(parts)


# -- one page ---------------------------------------------------------------


def _page(
    parts: list[str],
    diagram: Diagram,
    prefix: str,
    linked: bool,
    glyph_markup: GlyphMarkup,
) -> None:
    _title_band(parts, diagram)
    for group in diagram.groups:
        _group(parts, group, prefix, glyph_markup)
    labels = {node.id: node.label for node in diagram.nodes}
    labels.update({group.id: group.label for group in diagram.groups})
    for index, edge in enumerate(diagram.edges):
        if index % CHECK_EVERY == 0:
            check_current_deadline()
        _edge(parts, edge, labels, prefix)
    for index, node in enumerate(diagram.nodes):
        if index % CHECK_EVERY == 0:
            check_current_deadline()
        _node(parts, node, prefix, linked, glyph_markup)


def _title_band(parts: list[str], diagram: Diagram) -> None:
    limit = int((diagram.width - 2 * MARGIN) / TITLE_CHAR)
    y = MARGIN + 20
    parts.append(
        f'<text class="t" x="{MARGIN}" y="{y}">'
        f"{xml_escape(truncate(diagram.title, limit))}</text>\n"
    )
    y = MARGIN + TITLE_HEIGHT
    x: float = MARGIN
    parts.append('<g class="lg">')
    for entry in legend_entries(diagram):
        if entry.what == "provider":
            swatch = (
                f'<rect x="{x:.10g}" y="{y - 9}" width="18" height="10" rx="2" '
                f'fill="{entry.colour}"/>'
            )
        elif entry.what == "relationship":
            swatch = f'<path class="e r-{entry.key}" d="M{x:.10g} {y - 4}h18"/>'
        else:
            dash = ' stroke-dasharray="4 2"' if entry.key == "removed" else ""
            swatch = (
                f'<rect x="{x:.10g}" y="{y - 10}" width="18" height="12" rx="2" '
                f'fill="none" stroke="{entry.colour}" stroke-width="2.5"{dash}/>'
            )
        parts.append(
            f'{swatch}<text x="{x + LEGEND_SWATCH:.10g}" y="{y}">'
            f"{xml_escape(entry.label)}</text>"
        )
        x += entry.width + LEGEND_SPACING
    parts.append("</g>\n")
    y += LEGEND_HEIGHT - 4
    note_limit = int((diagram.width - 2 * MARGIN) / 6.2)
    for note in diagram.notes[:MAX_NOTES]:
        parts.append(
            f'<text class="note" x="{MARGIN}" y="{y}">'
            f"{xml_escape(truncate(note, note_limit))}</text>\n"
        )
        y += NOTE_HEIGHT


def _details_text(details: dict[str, str]) -> str:
    return xml_escape("\n".join(f"{key}: {value}" for key, value in details.items()))


GlyphMarkup = Callable[[str, str], str]


def _glyph_use(kind: str, translate: str) -> str:
    return f'<use xlink:href="#{glyph_id(kind)}" transform="translate({translate})"/>'


def _glyph_inline(kind: str, translate: str) -> str:
    # cairosvg re-parses the target of every <use>; inlining is 4x faster there.
    shapes = GLYPHS.get(glyph_key(kind), GLYPHS["other"])
    return f'<g class="gl" transform="translate({translate})">{shapes}</g>'


def _group(
    parts: list[str], group: Group, prefix: str, glyph_markup: GlyphMarkup
) -> None:
    x, y, w, h = group.x, group.y, group.width, group.height
    classes = f"g lv-{group.level} p-{group.provider or 'other'}"
    if group.status:
        classes += f" s-{group.status}"
    text_x = x + 12
    glyph = ""
    if group.kind:
        glyph = glyph_markup(group.kind, f"{x + 10:.10g},{y + 8:.10g}) scale(0.75")
        text_x = x + 34
    room = max(int((x + w - text_x - 10) / LABEL_CHAR), 4)
    label = truncate(group.label, room)
    detail = ""
    spare = room - len(label) - 2
    if group.detail and spare > 6:
        detail_x = text_x + len(label) * LABEL_CHAR + 10
        detail = (
            f'<text class="gd" x="{detail_x:.10g}" y="{y + 22:.10g}">'
            f"{xml_escape(truncate(group.detail, int(spare * 1.15)))}</text>"
        )
    parts.append(
        f'<g class="{classes}" id="{prefix}{group.id}"><title>'
        f"{_details_text(group.details)}</title>"
        f'<rect x="{x:.10g}" y="{y:.10g}" width="{w:.10g}" height="{h:.10g}" rx="8"/>'
        f'{glyph}<text x="{text_x:.10g}" y="{y + 22:.10g}">{xml_escape(label)}</text>'
        f"{detail}</g>\n"
    )


def _edge(parts: list[str], edge: Edge, labels: dict[str, str], prefix: str) -> None:
    if len(edge.points) < 2:
        return
    classes = f"e r-{edge.type}"
    if edge.count > 1:
        classes += " m"
    if edge.status:
        classes += f" s-{edge.status}"
    (x0, y0), *rest = edge.points
    path = f"M{x0:.10g} {y0:.10g}" + "".join(f"L{x:.10g} {y:.10g}" for x, y in rest)
    source = labels.get(edge.source, edge.source)
    what = f"{source} → {labels.get(edge.target, edge.target)}: {edge.type}"
    if edge.count > 1:
        what += f" (×{edge.count})"
    if edge.status:
        what += f" [{edge.status}]"
    parts.append(
        f'<path class="{classes}" id="{prefix}{edge.id}" d="{path}"><title>'
        f"{xml_escape(what)}</title></path>\n"
    )


def _node(
    parts: list[str], node: Node, prefix: str, linked: bool, glyph_markup: GlyphMarkup
) -> None:
    x, y, w, h = node.x, node.y, node.width, node.height
    classes = f"n p-{node.provider if node.provider in PROVIDER_COLOURS else 'other'}"
    if node.status:
        classes += f" s-{node.status}"
    if node.page_ref is not None:
        classes += " stub"
    stack = ""
    if node.count > 1:
        stack = (
            f'<rect class="k" x="{x + 5:.10g}" y="{y - 5:.10g}" width="{w:.10g}" '
            f'height="{h:.10g}" rx="6"/>'
        )
    room = max(int((w - 52) / LABEL_CHAR), 4)
    label = truncate(node.label, room)
    second = kind_name(node.kind)
    if node.detail:
        # An index entry's detail says it all ("52 nodes · AWS › eu-west-1").
        second = node.detail if node.kind == "page" else f"{second} · {node.detail}"
    second = truncate(second, max(int((w - 52) / DETAIL_CHAR), 4))
    strike = ""
    if node.status == "removed":
        strike = (
            f'<path class="x" d="M{x + 42:.10g} {y + 18:.10g}'
            f'h{min(len(label) * LABEL_CHAR, w - 50):.10g}"/>'
        )
    body = (
        f'<g class="{classes}" id="{prefix}{node.id}"><title>'
        f"{_details_text(node.details)}</title>{stack}"
        f'<rect class="b" x="{x:.10g}" y="{y:.10g}" width="{w:.10g}" height="{h:.10g}" '
        f'rx="6"/><rect class="a" x="{x:.10g}" y="{y:.10g}" width="5" '
        f'height="{h:.10g}" rx="2"/>'
        f"{glyph_markup(node.kind, f'{x + 12:.10g},{y + (h - GLYPH) / 2:.10g}')}"
        f'<text class="l1" x="{x + 44:.10g}" y="{y + 23:.10g}">'
        f"{xml_escape(label)}</text>"
        f'<text class="l2" x="{x + 44:.10g}" y="{y + 41:.10g}">'
        f"{xml_escape(second)}</text>"
        f"{strike}</g>"
    )
    if linked and node.page_ref is not None:
        body = f'<a xlink:href="#view-page-{node.page_ref}">{body}</a>'
    parts.append(body + "\n")
