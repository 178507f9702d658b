"""Our own layout: nested boxes packed on shelves, nodes in grids, edges in gutters.

The whole layout is O(n log n) in the number of nodes and groups, with no
external program, so 100,000 resources lay out in about a second:

1. Bottom-up, each group's content is sized: its own nodes form one grid block
   (about 1.6 times wider than tall); the block and the child boxes are packed
   on shelves (tallest first, each shelf filled left to right up to a width
   chosen from the total area). Shelves never overlap and items on a shelf
   never overlap, so siblings never overlap; each box is its content plus
   padding and a label band, so children always sit inside their parent.
2. Top-down, relative positions become absolute.
3. Each edge is routed orthogonally through the gutters between nodes (the
   `GAP` wide lanes every grid and shelf leaves), with a small per-edge lane
   offset so parallel edges stay distinguishable.

The `dependencies` view has no boxes: each connected component is laid out in
layers (left to right along the relationships), and components are packed on
shelves like boxes.

Everything is a pure function of the diagram's content and order, so the same
input always gives the same picture. Coordinates are whole pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cloudviz.diagram.deadline import CHECK_EVERY, NO_DEADLINE, Deadline
from cloudviz.diagram.model import Diagram, Group, Node
from cloudviz.diagram.style import legend_entries, legend_width

NODE_WIDTH = 256
NODE_HEIGHT = 56
GAP = 24  # between sibling nodes and boxes; edges run in these gutters
LAYER_GAP = 72  # between layers of the dependencies view
PADDING = 16
HEADER = 34  # a box's label band
MARGIN = 24
TITLE_HEIGHT = 40
LEGEND_HEIGHT = 24
NOTE_HEIGHT = 18
MAX_NOTES = 4  # note lines drawn under the title; all notes are in the data
MIN_WIDTH = 760  # room for the title and the legend
ASPECT = 1.6  # preferred width / height of node grids
PACK_ASPECT = 2.2  # preferred width / height of packed boxes (screens are wide)
CHAR_WIDTH = 7.0  # average width of a 13px label character

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def title_band_height(diagram: Diagram) -> int:
    """Height of the title, notes and legend band at the top of a page."""
    notes = NOTE_HEIGHT * min(len(diagram.notes), MAX_NOTES)
    return TITLE_HEIGHT + LEGEND_HEIGHT + notes + 8


def layout_diagram(diagram: Diagram, deadline: Deadline = NO_DEADLINE) -> Diagram:
    """Give every group, node and edge of `diagram` its place; returns it."""
    top = MARGIN + title_band_height(diagram)
    if diagram.groups or not diagram.edges:
        width, height = _layout_nested(diagram, deadline, MARGIN, top)
    else:
        width, height = _layout_layers(diagram, deadline, MARGIN, top)
    deadline.check()
    _route_edges(diagram, deadline)
    legend = legend_width(legend_entries(diagram))
    diagram.width = max(width + 2 * MARGIN, MIN_WIDTH, legend + 2 * MARGIN)
    diagram.height = top + height + MARGIN
    return diagram


# -- packing ------------------------------------------------------------------


def pack_shelves(
    sizes: Sequence[tuple[float, float]],
) -> tuple[list[tuple[float, float]], float, float]:
    """Positions for boxes of `sizes` (tallest first, on shelves) and the
    width and height they take together. Boxes are GAP apart."""
    if not sizes:
        return [], 0, 0
    area = sum((w + GAP) * (h + GAP) for w, h in sizes)
    widest = max(w for w, _ in sizes)
    limit = max(widest, math.sqrt(area * PACK_ASPECT))
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i][1], i))
    positions: list[tuple[float, float]] = [(0, 0)] * len(sizes)
    x = y = shelf = used = 0.0
    for index in order:
        w, h = sizes[index]
        if x > 0 and x + w > limit:
            y += shelf + GAP
            x = shelf = 0
        positions[index] = (x, y)
        used = max(used, x + w)
        x += w + GAP
        shelf = max(shelf, h)
    return positions, used, y + shelf


def grid_columns(count: int) -> int:
    """Columns of a grid of `count` nodes that is about ASPECT times wider."""
    ratio = ASPECT * (NODE_HEIGHT + GAP) / (NODE_WIDTH + GAP)
    return max(1, min(count, math.ceil(math.sqrt(count * ratio))))


def _place_grid(
    nodes: Sequence[Node], x0: float, y0: float, columns: int
) -> tuple[float, float]:
    step_x, step_y = NODE_WIDTH + GAP, NODE_HEIGHT + GAP
    for index, node in enumerate(nodes):
        row, column = divmod(index, columns)
        node.x = x0 + column * step_x
        node.y = y0 + row * step_y
        node.width = NODE_WIDTH
        node.height = NODE_HEIGHT
    rows = -(-len(nodes) // columns)
    return columns * step_x - GAP, rows * step_y - GAP


def _label_width(group: Group) -> float:
    text = len(group.label) + (len(group.detail) + 3 if group.detail else 0)
    return min(text * CHAR_WIDTH + 40, 380) + 2 * PADDING


# -- nested boxes -----------------------------------------------------------


def _layout_nested(
    diagram: Diagram, deadline: Deadline, left: float, top: float
) -> tuple[float, float]:
    children: dict[str | None, list[Group]] = {}
    for group in diagram.groups:
        children.setdefault(group.parent, []).append(group)
    members: dict[str | None, list[Node]] = {}
    for node in diagram.nodes:
        members.setdefault(node.group, []).append(node)

    # Bottom-up: children come after their parents in `groups`.
    for index, group in enumerate(reversed(diagram.groups)):
        if index % 256 == 0:
            deadline.check()
        width, height = _pack_content(
            children.get(group.id, ()), members.get(group.id, ()), PADDING, HEADER
        )
        if width or height:
            group.width = max(width + 2 * PADDING, _label_width(group))
            group.height = HEADER + height + PADDING
        else:
            group.width = _label_width(group)
            group.height = HEADER + 10
    width, height = _pack_content(children.get(None, ()), members.get(None, ()), 0, 0)

    # Top-down: positions so far are relative to the parent box.
    boxes = {group.id: group for group in diagram.groups}
    for group in diagram.groups:
        parent = boxes.get(group.parent) if group.parent else None
        group.x += parent.x if parent else left
        group.y += parent.y if parent else top
    for index, node in enumerate(diagram.nodes):
        if index % CHECK_EVERY == 0:
            deadline.check()
        owner = boxes.get(node.group) if node.group else None
        node.x += owner.x if owner else left
        node.y += owner.y if owner else top
    return width, height


def _pack_content(
    groups: Sequence[Group], nodes: Sequence[Node], dx: float, dy: float
) -> tuple[float, float]:
    """Place `nodes` (as one grid) and `groups` (already sized) relative to
    their container's origin shifted by (dx, dy); return the content size."""
    sizes = [(group.width, group.height) for group in groups]
    if nodes:
        columns = grid_columns(len(nodes))
        if groups:
            # Beside boxes, make the grid as wide as a shelf will be, so it
            # fills a row instead of standing as a narrow column.
            cell = (NODE_WIDTH + GAP) * (NODE_HEIGHT + GAP)
            area = sum((w + GAP) * (h + GAP) for w, h in sizes) + len(nodes) * cell
            shelf = max(max(w for w, _ in sizes), math.sqrt(area * PACK_ASPECT))
            columns = max(1, min(len(nodes), int((shelf + GAP) // (NODE_WIDTH + GAP))))
        sizes.append(_place_grid(nodes, 0, 0, columns))
    positions, width, height = pack_shelves(sizes)
    for group, (x, y) in zip(groups, positions, strict=False):
        group.x, group.y = x + dx, y + dy
    if nodes:
        bx, by = positions[-1]
        for node in nodes:
            node.x += bx + dx
            node.y += by + dy
    return width, height


# -- layers for the dependencies view ----------------------------------------


def _layout_layers(
    diagram: Diagram, deadline: Deadline, left: float, top: float
) -> tuple[float, float]:
    nodes = diagram.nodes
    index = {node.id: i for i, node in enumerate(nodes)}
    outgoing: list[list[int]] = [[] for _ in nodes]
    incoming: list[list[int]] = [[] for _ in nodes]
    for edge in diagram.edges:
        s, t = index.get(edge.source), index.get(edge.target)
        if s is not None and t is not None and s != t:
            outgoing[s].append(t)
            incoming[t].append(s)

    components = _components(len(nodes), outgoing, incoming)
    sizes: list[tuple[float, float]] = []
    for members in components:
        deadline.check()
        sizes.append(_place_layers(nodes, members, outgoing, incoming))
    positions, width, height = pack_shelves(sizes)
    for members, (x, y) in zip(components, positions, strict=True):
        for i in members:
            nodes[i].x += left + x
            nodes[i].y += top + y
    return width, height


def _components(
    count: int, outgoing: list[list[int]], incoming: list[list[int]]
) -> list[list[int]]:
    seen = [False] * count
    components: list[list[int]] = []
    for start in range(count):
        if seen[start]:
            continue
        seen[start] = True
        members, stack = [], [start]
        while stack:
            current = stack.pop()
            members.append(current)
            for other in (*outgoing[current], *incoming[current]):
                if not seen[other]:
                    seen[other] = True
                    stack.append(other)
        members.sort()
        components.append(members)
    # Big components first: they read best at the top left.
    components.sort(key=lambda members: (-len(members), members[0]))
    return components


def _place_layers(
    nodes: Sequence[Node],
    members: list[int],
    outgoing: list[list[int]],
    incoming: list[list[int]],
) -> tuple[float, float]:
    layer = _longest_path_layers(members, outgoing, incoming)
    by_layer: dict[int, list[int]] = {}
    for i in members:
        by_layer.setdefault(layer[i], []).append(i)

    # Order each layer by the mean row of its predecessors (one sweep).
    row_of: dict[int, float] = {}
    tallest = max(8, math.ceil(math.sqrt(len(members)) * 1.5))
    column = 0
    height = 0.0
    for depth in sorted(by_layer):
        ranked = sorted(
            by_layer[depth],
            key=lambda i: (_mean(row_of, incoming[i]), i),
        )
        for start in range(0, len(ranked), tallest):
            chunk = ranked[start : start + tallest]
            for row, i in enumerate(chunk):
                row_of[i] = row
                node = nodes[i]
                node.x = column * (NODE_WIDTH + LAYER_GAP)
                node.y = row * (NODE_HEIGHT + GAP)
                node.width, node.height = NODE_WIDTH, NODE_HEIGHT
            height = max(height, len(chunk) * (NODE_HEIGHT + GAP) - GAP)
            column += 1
    return column * (NODE_WIDTH + LAYER_GAP) - LAYER_GAP, height


def _mean(rows: dict[int, float], predecessors: list[int]) -> float:
    placed = [rows[p] for p in predecessors if p in rows]
    return sum(placed) / len(placed) if placed else -1.0


def _longest_path_layers(
    members: list[int], outgoing: list[list[int]], incoming: list[list[int]]
) -> dict[int, int]:
    """Layer of each node: one more than its deepest predecessor; cycles are
    broken at the lowest-numbered node still waiting."""
    waiting = {i: len(incoming[i]) for i in members}
    layer = dict.fromkeys(members, 0)
    ready = [i for i in members if waiting[i] == 0]
    done: set[int] = set()
    pending = sorted(members, reverse=True)
    while len(done) < len(members):
        if not ready:
            while pending[-1] in done:
                pending.pop()
            ready.append(pending.pop())
        current = ready.pop()
        if current in done:
            continue
        done.add(current)
        for other in outgoing[current]:
            if other in done:
                continue
            layer[other] = max(layer[other], layer[current] + 1)
            waiting[other] -= 1
            if waiting[other] == 0:
                ready.append(other)
    return layer


# -- edges ---------------------------------------------------------------------


def _route_edges(diagram: Diagram, deadline: Deadline) -> None:
    boxes: dict[str, Box] = {
        g.id: (g.x, g.y, g.x + g.width, g.y + g.height) for g in diagram.groups
    }
    boxes.update(
        {n.id: (n.x, n.y, n.x + n.width, n.y + n.height) for n in diagram.nodes}
    )
    for index, edge in enumerate(diagram.edges):
        if index % CHECK_EVERY == 0:
            deadline.check()
        source, target = boxes.get(edge.source), boxes.get(edge.target)
        if source is None or target is None:
            edge.points = []
            continue
        edge.points = route_edge(source, target, GAP // 2 - 4 + (index % 5) * 2)


def route_edge(source: Box, target: Box, lane: float) -> list[tuple[float, float]]:
    """An orthogonal route from the border of `source` to that of `target`.

    Neighbours are joined by one straight segment; other routes leave the
    source into the gutter `lane` pixels beside it and enter the target from
    the gutter beside the target, so they run between nodes, not across them.
    """
    sx0, sy0, sx1, sy1 = source
    tx0, ty0, tx1, ty1 = target
    scx, scy = (sx0 + sx1) / 2, (sy0 + sy1) / 2
    tcx, tcy = (tx0 + tx1) / 2, (ty0 + ty1) / 2
    near = GAP * 1.5

    if sy0 < ty1 and ty0 < sy1:  # side by side
        y = (max(sy0, ty0) + min(sy1, ty1)) / 2
        start, end = (sx1, tx0) if sx1 <= tx0 else (sx0, tx1)
        if abs(end - start) <= near:
            return [(start, y), (end, y)]
        above = min(sy0, ty0) - lane
        return [(scx, sy0), (scx, above), (tcx, above), (tcx, ty0)]

    if sx0 < tx1 and tx0 < sx1:  # one above the other
        x = (max(sx0, tx0) + min(sx1, tx1)) / 2
        start, end = (sy1, ty0) if sy1 <= ty0 else (sy0, ty1)
        if abs(end - start) <= near:
            return [(x, start), (x, end)]
        beside = min(sx0, tx0) - lane
        return [(sx0, scy), (beside, scy), (beside, tcy), (tx0, tcy)]

    down = ty0 >= sy1
    leave = sy1 if down else sy0
    gutter_y = leave + lane if down else leave - lane
    rightward = tcx > scx
    gutter_x = tx0 - lane if rightward else tx1 + lane
    enter = tx0 if rightward else tx1
    return [
        (scx, leave),
        (scx, gutter_y),
        (gutter_x, gutter_y),
        (gutter_x, tcy),
        (enter, tcy),
    ]
