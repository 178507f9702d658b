"""JSON: the laid-out diagram for other tools (coordinates in pixels).

    {"format": "cloudviz-diagram", "version": 1,
     "pages": [{"title", "view", "theme", "width", "height", "page", "pages",
                "diff", "notes", "groups": [...], "nodes": [...],
                "edges": [{"id", "source", "target", "type", "status",
                           "count", "points": [[x, y], ...]}]}]}

Groups, nodes and edges hold exactly the fields of `cloudviz.diagram.model`.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from cloudviz.diagram.model import Diagram
from cloudviz.diagram.options import RenderOptions

MEDIA_TYPE = "application/json"
EXTENSION = "json"
DOCUMENT_FORMAT = "cloudviz-diagram"
DOCUMENT_VERSION = 1


def write(diagrams: Sequence[Diagram], options: RenderOptions) -> bytes:
    document = {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "pages": list(diagrams),
    }
    # orjson serialises the slotted dataclasses natively, and fast.
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 if _small(diagrams) else 0)


def _small(diagrams: Sequence[Diagram]) -> bool:
    return sum(len(d.nodes) for d in diagrams) <= 2_000
