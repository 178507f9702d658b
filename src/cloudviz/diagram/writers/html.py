"""HTML: one standalone page with the diagram, pan, zoom, search and details.

The page holds the SVG drawing of every page inline, the diagram's data as
JSON in a `<script type="application/json">` element, and a small script; it
loads nothing from the network (its Content-Security-Policy forbids it), so it
opens from a file, an e-mail attachment or an air-gapped machine.

Safety: the SVG is escaped like any SVG; the JSON is escaped so that no text
can close the script element (`<`, `>`, `&` and the JavaScript line separators
become `\\u` escapes); the script only ever sets `textContent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any

import orjson

from cloudviz.diagram.escape import xml_escape
from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.style import theme_named
from cloudviz.diagram.writers.svg import render_svg

MEDIA_TYPE = "text/html; charset=utf-8"
EXTENSION = "html"

_SCRIPT_UNSAFE = {
    b"<": b"\\u003c",
    b">": b"\\u003e",
    b"&": b"\\u0026",
    "\u2028".encode(): b"\\u2028",
    "\u2029".encode(): b"\\u2029",
}
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; img-src data:"
)


def script_json(value: Any) -> str:
    """JSON text that is safe inside an HTML `<script>` element."""
    data = orjson.dumps(value)
    for unsafe, escaped in _SCRIPT_UNSAFE.items():
        if unsafe in data:
            data = data.replace(unsafe, escaped)
    return data.decode("utf-8")


def page_data(diagram: Diagram) -> dict[str, Any]:
    """What the script needs of one page: labels and details by element id."""
    items: dict[str, dict[str, Any]] = {}
    for group in diagram.groups:
        items[group.id] = {
            "label": group.label,
            "kind": group.kind or group.level,
            "details": group.details,
            "status": group.status,
        }
    for node in diagram.nodes:
        items[node.id] = {
            "label": node.label,
            "kind": node.kind,
            "details": node.details,
            "status": node.status,
            "page_ref": node.page_ref,
            "count": node.count,
        }
    return {
        "page": diagram.page,
        "title": diagram.title,
        "notes": diagram.notes,
        "items": items,
    }


def _asset(name: str) -> str:
    return resources.files("cloudviz.diagram.writers").joinpath(name).read_text("utf-8")


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    theme = theme_named(options.theme)
    title = diagrams[0].title if diagrams else "CloudViz diagram"
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{xml_escape(title)}</title>\n",
        f"<style>:root{{--bg:{theme.background};--text:{theme.text};"
        f"--muted:{theme.muted};--panel:{theme.node_fill};"
        f"--line:{theme.node_stroke}}}\n{_asset('html_viewer.css')}</style>\n",
        "</head>\n<body>\n<header>",
        f'<strong id="cv-title">{xml_escape(title)}</strong>',
        '<input id="cv-search" type="search" placeholder="Search name, kind, id, tag…" '
        'aria-label="Search">',
        '<span id="cv-hits" aria-live="polite"></span>',
        '<span id="cv-pages"></span>',
        '<button type="button" data-zoom="in" title="Zoom in">+</button>',
        '<button type="button" data-zoom="out" title="Zoom out">−</button>',
        '<button type="button" data-zoom="fit" title="Fit to window">Fit</button>',
        '</header>\n<main id="cv-viewport"><div id="cv-canvas">\n',
    ]
    for diagram in diagrams:
        hidden = " hidden" if diagram is not diagrams[0] else ""
        parts.append(f'<section class="cv-page" data-page="{diagram.page}"{hidden}>')
        parts.append(
            render_svg([diagram], options.theme, prolog=False, prefix_ids=True)
        )
        parts.append("</section>\n")
    parts.append("</div></main>\n")
    parts.append(
        '<aside id="cv-details" hidden><button type="button" id="cv-close" '
        'title="Close">×</button><h2 id="cv-details-title"></h2>'
        '<dl id="cv-details-list"></dl></aside>\n'
    )
    data = {"pages": [page_data(diagram) for diagram in diagrams]}
    parts.append(
        f'<script type="application/json" id="cv-data">{script_json(data)}</script>\n'
    )
    parts.append(f"<script>\n{_asset('html_viewer.js')}</script>\n</body>\n</html>\n")
    return "".join(parts).encode("utf-8")
