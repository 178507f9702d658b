"""`--collapse kind` and `--collapse tag:KEY`: many alike siblings as one node.

Forty VMs in one subnet become one node labelled `40 × compute.vm`. Nodes are
alike when they sit in the same box, have the same provider, kind and diff
status, and (for `tag:KEY`) the same value of that tag; resources without the
tag stay as they are. Edges follow their endpoints into the collapsed node and
parallel edges merge, adding up their `count`.
"""

from __future__ import annotations

from cloudviz.diagram.escape import truncate
from cloudviz.diagram.labels import TAG_PREFIX, stable_id
from cloudviz.diagram.model import Diagram, Edge, Node
from cloudviz.errors import ValidationError

MEMBER_NAMES_SHOWN = 25


def parse_collapse(mode: str | None) -> tuple[str, str | None] | None:
    """(`kind`, None) or (`tag`, KEY) from the option's text; None for none."""
    if not mode or mode == "none":
        return None
    if mode == "kind":
        return ("kind", None)
    if mode.startswith("tag:") and len(mode) > 4:
        return ("tag", mode[4:])
    raise ValidationError(
        f"--collapse {mode!r}: expected kind or tag:KEY",
        hint="for example --collapse kind or --collapse tag:app",
    )


def collapse_diagram(diagram: Diagram, mode: str | None) -> Diagram:
    """Merge alike sibling nodes of `diagram` in place; returns it."""
    parsed = parse_collapse(mode)
    if parsed is None:
        return diagram
    _, tag = parsed
    tag_key = TAG_PREFIX + tag if tag else None

    buckets: dict[tuple[str | None, str, str, str | None, str], list[Node]] = {}
    for node in diagram.nodes:
        if node.page_ref is not None:
            continue
        value = ""
        if tag_key is not None:
            found = node.details.get(tag_key)
            if found is None:
                continue
            value = found
        key = (node.group, node.provider, node.kind, node.status, value)
        buckets.setdefault(key, []).append(node)

    replaced: dict[str, str] = {}
    first_of: dict[str, Node] = {}
    merged = 0
    for (group, provider, kind, status, value), members in buckets.items():
        if len(members) < 2:
            continue
        node = _collapsed_node(group, provider, kind, status, tag, value, members)
        first_of[members[0].id] = node
        for member in members:
            replaced[member.id] = node.id
        merged += len(members)
    if not replaced:
        return diagram

    diagram.nodes = [
        first_of.get(node.id, node)
        for node in diagram.nodes
        if node.id not in replaced or node.id in first_of
    ]
    diagram.edges = _merge_edges(diagram.edges, replaced)
    how = f"kind and tag {tag}" if tag else "kind"
    diagram.notes.append(
        f"Collapsed {merged:,} resources into {len(first_of):,} nodes by {how}."
    )
    return diagram


def _collapsed_node(
    group: str | None,
    provider: str,
    kind: str,
    status: str | None,
    tag: str | None,
    value: str,
    members: list[Node],
) -> Node:
    label = f"{len(members)} × {kind}"
    if tag:
        label += f" ({tag}={value})"
    names = [member.label for member in members[:MEMBER_NAMES_SHOWN]]
    more = len(members) - len(names)
    details = {
        "kind": kind,
        "count": str(len(members)),
        "members": ", ".join(names) + (f" and {more:,} more" if more else ""),
    }
    if tag:
        details[TAG_PREFIX + tag] = value
    shared = {member.detail for member in members}
    key = "|".join((group or "", provider, kind, status or "", tag or "", value))
    return Node(
        id=stable_id("c", key),
        label=truncate(label, 120),
        kind=kind,
        provider=provider,
        group=group,
        detail=shared.pop() if len(shared) == 1 else "mixed",
        details=details,
        count=len(members),
        status=status,
    )


def _merge_edges(edges: list[Edge], replaced: dict[str, str]) -> list[Edge]:
    merged: dict[tuple[str, str, str, str | None], Edge] = {}
    for edge in edges:
        source = replaced.get(edge.source, edge.source)
        target = replaced.get(edge.target, edge.target)
        if source == target:
            continue
        key = (source, target, edge.type, edge.status)
        existing = merged.get(key)
        if existing is not None:
            existing.count += edge.count
            continue
        if source != edge.source or target != edge.target:
            edge_id = stable_id("e", "|".join((source, target, edge.type)))
            if edge.status:
                edge_id += edge.status[0]
            edge = Edge(edge_id, source, target, edge.type, edge.status, edge.count)
        merged[key] = edge
    return list(merged.values())
