"""Text that came from a cloud is hostile until escaped for its format.

Names, tags and properties may hold quotes, angle brackets, ampersands,
newlines, control characters or lone surrogates. These helpers make such text
safe for XML-based formats (SVG, HTML, draw.io) and short enough for a label.
They are small and fast because a 100,000-resource render calls them a million
times.
"""

from __future__ import annotations

import re

# Characters XML 1.0 forbids even when escaped, plus lone surrogates (which
# cannot be encoded as UTF-8) and the two non-characters.
_UNENCODABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\r\n\t\u2028\u2029\x85]+")
# Anything either of the two above would change: most text has none of it,
# and one search is cheaper than two substitutions.
SUSPECT_TEXT = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without characters no XML document or UTF-8 file may hold."""
    if _UNENCODABLE.search(text):
        return _UNENCODABLE.sub("\ufffd", text)
    return text


def one_line(text: str) -> str:
    """`text` cleaned and on one line (line breaks become spaces)."""
    if not SUSPECT_TEXT.search(text):
        return text
    return clean_text(_LINE_BREAKS.sub(" ", text))


def xml_escape(text: str) -> str:
    """Escape for XML text and double-quoted attribute values."""
    text = clean_text(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"
