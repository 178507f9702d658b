"""Plain-text clean-up shared by the text writers, before format escaping.

Names, tags and properties come from cloud accounts and imported files, so
they can hold anything: control characters, newlines, bidi overrides, lone
surrogates, or thousands of characters. Every writer first turns them into one
printable line of bounded length, then escapes that line for its own format.
"""

from __future__ import annotations

ELLIPSIS = "…"


def clean_text(text: object, limit: int = 80) -> str:
    """One printable line: control and format characters become spaces,
    runs of spaces shrink to one, and text past `limit` ends in an ellipsis."""
    raw = str(text)
    if raw.isascii() and raw.isprintable():
        line = raw
    else:
        line = "".join(
            char if char.isprintable() and not _is_surrogate(char) else " "
            for char in raw
        )
    line = " ".join(line.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + ELLIPSIS
    return line


def _is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"
