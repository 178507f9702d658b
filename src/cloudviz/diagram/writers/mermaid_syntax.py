"""Mermaid flowchart syntax: escaped labels, comments, shapes and classes.

Every character of a label outside a small safe set is written as a Mermaid
entity code (`#quot;`, `#60;`...), so names like `"]; <script>` or `%% x`
stay text; comments lose `%` and braces, which could open a directive.
"""

from __future__ import annotations

import re

from cloudviz.diagram.writers.labels import clean_text
from cloudviz.diagram.writers.text_styles import (
    OTHER_SWATCH,
    PAGE_REF_SWATCH,
    PROVIDER_SWATCHES,
    STATUS_ORDER,
    STATUS_SWATCHES,
    Swatch,
)

LABEL_LIMIT = 60
DETAIL_LIMIT = 40
COMMENT_LIMIT = 300


# Characters written as entity codes: ASCII outside a safe set, and the
# placeholder characters Mermaid swaps entity codes for while parsing, so a
# name holding them cannot forge an entity.
_UNSAFE = re.compile(
    r"[^A-Za-z0-9 \-_.,:/@+=*!?'~^$\x80-\U0010ffff]|[\ufb02\xb6\xb0\xdf]"
)
_COMMENT_SWAPS = str.maketrans("%{}`", "％()'")
SHAPES = {
    "box": ('["', '"]'),
    "store": ('[("', '")]'),
    "function": ('{{"', '"}}'),
    "queue": ('>"', '"]'),
    "edge": ('(["', '"])'),
    "guard": ('[["', '"]]'),
    "ref": ('[/"', '"/]'),
}
LEGEND_ID_PREFIX = "legend_"


def escape_label(text: str) -> str:
    """A cleaned line as the inside of a quoted Mermaid label.

    Letters, digits, non-ASCII printable characters and harmless punctuation
    pass; everything else becomes an entity code that Mermaid turns back
    into that character as text (never markup)."""
    return _UNSAFE.sub(_entity_code, text)


def _entity_code(match: re.Match[str]) -> str:
    char = match.group()
    return "#quot;" if char == '"' else f"#{ord(char)};"


def comment_text(text: str) -> str:
    """A note as the text of a `%%` comment line: one line, and no `%` or
    braces, which could otherwise open a Mermaid directive."""
    line = clean_text(text, COMMENT_LIMIT)
    return line.translate(_COMMENT_SWAPS)


def measured_size(text: str) -> int:
    """Mermaid's measure of a chart (UTF-16 code units) plus one per line
    break, so the chart still fits after a CRLF conversion."""
    return len(text.encode("utf-16-le")) // 2 + text.count("\n")


def provider_class(provider: str | None) -> str:
    return provider if provider in PROVIDER_SWATCHES else "other"


CLASS_SWATCHES: dict[str, Swatch] = {
    **PROVIDER_SWATCHES,
    "other": OTHER_SWATCH,
    "ref": PAGE_REF_SWATCH,
    **{status: STATUS_SWATCHES[status] for status in STATUS_ORDER},
}


def class_style(name: str, swatch: Swatch) -> str:
    style = f"fill:{swatch.fill},stroke:{swatch.stroke},color:{swatch.text}"
    if name == "removed" or name == "ref":
        style += ",stroke-dasharray:5 3"
    if name in STATUS_SWATCHES:
        style += ",stroke-width:2px"
    return style


def legend_lines() -> list[str]:
    lines = ['  subgraph legend["Legend"]']
    for status in STATUS_ORDER:
        lines.append(f'    {LEGEND_ID_PREFIX}{status}["{status}"]:::{status}')
    lines.append("  end")
    return lines
