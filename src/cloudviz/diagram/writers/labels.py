"""Plain-text clean-up shared by the text writers, before format escaping.

Names, tags and properties come from cloud accounts and imported files, so
they can hold anything: control characters, newlines, bidi overrides, lone
surrogates, or thousands of characters. Every writer first turns them into one
printable line of bounded length, then escapes that line for its own format.
"""

from __future__ import annotations

from cloudviz.diagram.escape import truncate
from cloudviz.diagram.model import Edge, Group, Node


def clean_text(text: object, limit: int = 80) -> str:
    """One printable line: control and format characters become spaces,
    runs of spaces shrink to one, and text past `limit` ends in an ellipsis."""
    raw = str(text)
    if raw.isprintable():  # the common case, checked in C
        line = raw
    else:
        line = "".join(char if char.isprintable() else " " for char in raw)
    return truncate(" ".join(line.split()), limit)


def node_caption(node: Node) -> tuple[str, str]:
    """The two lines of text shown on a node: its name, then its key
    property, or its kind, or the page a stub points to."""
    name = node.label or node.id
    if node.page_ref is not None:
        return name, f"see page {node.page_ref}"
    return name, node.detail or ("" if node.kind in name else node.kind)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def group_caption(group: Group) -> tuple[str, str]:
    """A box's title and its key property (a VPC's CIDR), if any."""
    return group.label or group.level, group.detail


def edge_caption(edge: Edge) -> str:
    """`secured by`, or `secured by ×12` for a bundle of relationships."""
    text = edge.type.replace("_", " ")
    return f"{text} ×{edge.count}" if edge.count > 1 else text
