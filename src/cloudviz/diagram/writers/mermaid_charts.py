"""Splitting one page into Mermaid charts that each fit Mermaid's limits.

Whole groups stay together when they fit and consecutive groups share a
chart; a group too big is opened into its sub-groups; a group with too many
resources of its own is cut into runs in breadth-first order over its
relationships. Each chart is written and measured, and halved again in the
rare case the estimates were short.
"""

from __future__ import annotations

import functools
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from cloudviz.diagram.model import Diagram, Edge, Node
from cloudviz.diagram.writers.identifiers import StableIds
from cloudviz.diagram.writers.labels import (
    clean_text,
    edge_caption,
    group_caption,
    node_caption,
    plural,
)
from cloudviz.diagram.writers.mermaid_syntax import (
    CLASS_SWATCHES,
    COMMENT_LIMIT,
    DETAIL_LIMIT,
    LABEL_LIMIT,
    SHAPES,
    class_style,
    comment_text,
    escape_label,
    legend_lines,
    measured_size,
    provider_class,
)
from cloudviz.diagram.writers.nesting import Nesting
from cloudviz.diagram.writers.text_styles import STATUS_SWATCHES, shape_family


@dataclass(slots=True)
class MermaidChart:
    """One fenced block: a flowchart Mermaid draws with its default limits."""

    title: str
    text: str
    nodes: int
    edges: int

    @property
    def size(self) -> int:
        return measured_size(self.text)


@dataclass(frozen=True, slots=True)
class Limits:
    text: int
    edges: int


@dataclass(slots=True)
class _Unit:
    """Nodes (and empty groups) that go onto one chart together."""

    nodes: list[str]
    groups: list[str]
    cost: int
    edges: int


@dataclass(slots=True)
class _EdgeLine:
    edge: Edge
    source: str  # Mermaid ids
    target: str
    text: str


# A rough allowance for the header, classDefs and legend of a chart; the
# real size of every chart is measured after it is written.
_CHART_OVERHEAD = 2_500
# Room kept for the `%% CloudViz: chart N of M ...` line added at the end.
_COMMENT_ROOM = 2 * COMMENT_LIMIT


class ChartPlanner:
    """Splits one page into charts that fit, and writes them."""

    def __init__(self, diagram: Diagram, ids: StableIds, limits: Limits) -> None:
        self.diagram = diagram
        self.limits = limits
        self.nesting = Nesting(diagram)
        self.groups = self.nesting.groups
        self.nodes = {node.id: node for node in diagram.nodes}
        self.group_ids = {gid: ids.get("g", gid) for gid in self.groups}
        self.node_ids = {nid: ids.get("n", nid) for nid in self.nodes}

        # The same tree as model ids: the planner works on sets of ids.
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for owner, groups in self.nesting.children.items():
            self.children[owner] = [group.id for group in groups]
        self.members: dict[str | None, list[str]] = defaultdict(list)
        for owner, nodes in self.nesting.members.items():
            self.members[owner] = [node.id for node in nodes]

        self.node_lines = {
            nid: self._node_line(node) for nid, node in self.nodes.items()
        }
        self.edge_lines = self._edge_lines()
        self.unplaced_edges = len(diagram.edges) - len(self.edge_lines)
        self.undrawn_edges = 0
        self.split = False

    # -- lines ------------------------------------------------------------

    def _node_line(self, node: Node) -> str:
        family = "ref" if node.page_ref is not None else shape_family(node.kind)
        opening, closing = SHAPES[family]
        name, second = node_caption(node)
        label = escape_label(clean_text(name, LABEL_LIMIT) or "?")
        if second:
            label += "<br/>" + escape_label(clean_text(second, DETAIL_LIMIT))
        return f"{self.node_ids[node.id]}{opening}{label}{closing}"

    def _group_line(self, group_id: str) -> str:
        title, detail = group_caption(self.groups[group_id])
        label = escape_label(clean_text(title, LABEL_LIMIT))
        if detail:
            label += "<br/>" + escape_label(clean_text(detail, DETAIL_LIMIT))
        return f'subgraph {self.group_ids[group_id]}["{label}"]'

    def _edge_lines(self) -> list[_EdgeLine]:
        lines: list[_EdgeLine] = []
        for edge in self.diagram.edges:
            source = self._endpoint(edge.source)
            target = self._endpoint(edge.target)
            if source is None or target is None:
                continue
            arrow = "-.->" if edge.status == "removed" else "-->"
            label = escape_label(clean_text(edge_caption(edge), 30))
            text = f'{source} {arrow}|"{label}"| {target}'
            lines.append(_EdgeLine(edge, source, target, text))
        return lines

    def _endpoint(self, model_id: str) -> str | None:
        return self.node_ids.get(model_id) or self.group_ids.get(model_id)

    # -- costs --------------------------------------------------------------

    def _ancestors(self, group_id: str | None) -> list[str]:
        return self.nesting.ancestors(group_id)

    def _node_cost(self, node_id: str) -> int:
        # The line, its indent, and its id in two `class` statements.
        depth = len(self._ancestors(self.nodes[node_id].group))
        return (
            len(self.node_lines[node_id])
            + 2 * depth
            + 4
            + 2 * (len(self.node_ids[node_id]) + 1)
        )

    def _wrapper_cost(self, group_id: str) -> int:
        depth = len(self._ancestors(group_id))
        return len(self._group_line(group_id)) + 4 * depth + 8

    def _edge_cost(self, line: _EdgeLine) -> int:
        return len(line.text) + 8

    # -- planning -------------------------------------------------------------

    def charts(self) -> list[MermaidChart]:
        units = self._plan_units()
        batches = self._pack(units)
        return self._write_checked(batches)

    def _plan_units(self) -> list[_Unit]:
        subtree_cost: dict[str | None, int] = defaultdict(int)
        subtree_edges: dict[str | None, int] = defaultdict(int)
        for node_id in self.nodes:
            for owner in self._chain_with_root(self.nodes[node_id].group):
                subtree_cost[owner] += self._node_cost(node_id)
        for group_id in self.groups:
            for owner in self._chain_with_root(group_id):
                subtree_cost[owner] += self._wrapper_cost(group_id)
        for line in self.edge_lines:
            for owner in self._common_chain(line.edge):
                subtree_cost[owner] += self._edge_cost(line)
                subtree_edges[owner] += 1

        budget = self.limits.text - _CHART_OVERHEAD
        return self._units_of(None, subtree_cost, subtree_edges, budget)

    def _chain_with_root(self, group_id: str | None) -> list[str | None]:
        return [*self._ancestors(group_id), None]

    def _endpoint_group(self, model_id: str) -> str | None:
        if model_id in self.groups:
            return model_id
        node = self.nodes.get(model_id)
        return node.group if node is not None else None

    def _common_chain(self, edge: Edge) -> list[str | None]:
        source_chain = self._chain_with_root(self._endpoint_group(edge.source))
        target_chain = set(self._chain_with_root(self._endpoint_group(edge.target)))
        return [owner for owner in source_chain if owner in target_chain]

    def _units_of(
        self,
        group_id: str | None,
        subtree_cost: dict[str | None, int],
        subtree_edges: dict[str | None, int],
        budget: int,
    ) -> list[_Unit]:
        room = budget - sum(self._wrapper_cost(g) for g in self._ancestors(group_id))
        if (
            subtree_cost[group_id] <= room
            and subtree_edges[group_id] <= self.limits.edges
        ):
            nodes, groups = self._subtree(group_id)
            return [
                _Unit(nodes, groups, subtree_cost[group_id], subtree_edges[group_id])
            ]

        self.split = True
        units = self._chunk_members(group_id, room)
        for child in self.children[group_id]:
            units += self._units_of(child, subtree_cost, subtree_edges, budget)
        return units

    def _subtree(self, group_id: str | None) -> tuple[list[str], list[str]]:
        nodes = list(self.members[group_id])
        groups = [group_id] if group_id is not None else []
        for child in self.children[group_id]:
            child_nodes, child_groups = self._subtree(child)
            nodes += child_nodes
            groups += child_groups
        return nodes, groups

    def _chunk_members(self, group_id: str | None, room: int) -> list[_Unit]:
        """The group's own nodes in runs that fit one chart, in an order that
        keeps linked nodes together, counting the edges inside each run."""
        units: list[_Unit] = []
        current: list[str] = []
        current_set: set[str] = set()
        cost = edges = 0
        for node_id in self._connected_order(self.members[group_id]):
            links = [
                (other, link_cost)
                for other, link_cost in self._neighbours[node_id]
                if other in current_set
            ]
            added = self._node_cost(node_id) + sum(c for _, c in links)
            too_big = cost + added > room or edges + len(links) > self.limits.edges
            if current and too_big:
                units.append(_Unit(current, [], cost, edges))
                current, current_set, cost, edges = [], set(), 0, 0
                links, added = [], self._node_cost(node_id)
            current.append(node_id)
            current_set.add(node_id)
            cost += added
            edges += len(links)
        if current:
            units.append(_Unit(current, [], cost, edges))
        return units

    def _connected_order(self, members: list[str]) -> list[str]:
        """Members in breadth-first order over their relationships, so a run
        cut from the list keeps most of its edges (a flat dependency graph
        cut in model order would lose nearly all of them)."""
        inside = set(members)
        seen: set[str] = set()
        order: list[str] = []
        for start in members:
            if start in seen:
                continue
            seen.add(start)
            queue = deque([start])
            while queue:
                node_id = queue.popleft()
                order.append(node_id)
                for other, _ in self._neighbours[node_id]:
                    if other in inside and other not in seen:
                        seen.add(other)
                        queue.append(other)
        return order

    @functools.cached_property
    def _neighbours(self) -> dict[str, list[tuple[str, int]]]:
        found: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for line in self.edge_lines:
            cost = self._edge_cost(line)
            found[line.edge.source].append((line.edge.target, cost))
            found[line.edge.target].append((line.edge.source, cost))
        return found

    def _pack(self, units: list[_Unit]) -> list[list[_Unit]]:
        """Consecutive units share a chart while their estimates fit."""
        room = self.limits.text - _CHART_OVERHEAD
        batches: list[list[_Unit]] = []
        current: list[_Unit] = []
        cost = edges = 0
        for unit in units:
            if current and (
                cost + unit.cost > room or edges + unit.edges > self.limits.edges
            ):
                batches.append(current)
                current, cost, edges = [], 0, 0
            current.append(unit)
            cost += unit.cost
            edges += unit.edges
        if current or not batches:
            batches.append(current)
        return batches

    def _write_checked(self, batches: list[list[_Unit]]) -> list[MermaidChart]:
        """Write each batch; one that does not fit after all (the estimates
        leave out edges between units) is halved until it does."""
        drawn: set[int] = set()
        accepted: list[tuple[MermaidChart, set[int]]] = []
        queue = list(batches)
        while queue:
            batch = queue.pop(0)
            chart, edge_indexes = self._write_chart(batch, drawn)
            if self._fits(chart) or not self._splittable(batch):
                accepted.append((chart, edge_indexes))
                drawn |= edge_indexes
                continue
            self.split = True
            queue[0:0] = self._halve(batch)

        total = len(accepted)
        charts: list[MermaidChart] = []
        for number, (chart, _) in enumerate(accepted, start=1):
            if total > 1:
                comment = comment_text(
                    f"CloudViz: chart {number} of {total} of {self.diagram.title}; "
                    "split to stay within Mermaid's default limits "
                    f"({self.limits.text:,} characters, {self.limits.edges} edges "
                    "per chart)"
                )
                chart.text = f"%% {comment}\n{chart.text}"
            charts.append(chart)
        self.undrawn_edges = len(self.edge_lines) - len(drawn)
        return charts

    def _fits(self, chart: MermaidChart) -> bool:
        # Room for the numbering comment added once the count is known.
        return (
            chart.size + _COMMENT_ROOM <= self.limits.text
            and chart.edges <= self.limits.edges
        )

    @staticmethod
    def _splittable(batch: list[_Unit]) -> bool:
        return len(batch) > 1 or (len(batch) == 1 and len(batch[0].nodes) > 1)

    @staticmethod
    def _halve(batch: list[_Unit]) -> list[list[_Unit]]:
        if len(batch) > 1:
            middle = len(batch) // 2
            return [batch[:middle], batch[middle:]]
        unit = batch[0]
        middle = len(unit.nodes) // 2
        return [
            [_Unit(unit.nodes[:middle], unit.groups, 0, 0)],
            [_Unit(unit.nodes[middle:], [], 0, 0)],
        ]

    # -- writing --------------------------------------------------------------

    def _write_chart(
        self, batch: list[_Unit], drawn: set[int]
    ) -> tuple[MermaidChart, set[int]]:
        node_set = {node_id for unit in batch for node_id in unit.nodes}
        visible: set[str] = set()
        for unit in batch:
            for group_id in unit.groups:
                visible.update(self._ancestors(group_id))
        for node_id in node_set:
            visible.update(self._ancestors(self.nodes[node_id].group))

        lines = [
            "flowchart TB" if self.diagram.view != "dependencies" else "flowchart LR"
        ]
        self._emit_group(None, 1, node_set, visible, lines)
        if not node_set and not visible:
            lines.append('  empty["No resources to draw"]')

        edge_indexes: set[int] = set()
        styled_edges: dict[str, list[int]] = defaultdict(list)
        candidates = {
            index
            for model_id in (*node_set, *visible)
            for index in self._incident.get(model_id, ())
        }
        for index in sorted(candidates):
            line = self.edge_lines[index]
            if index in drawn or not (
                self._is_drawn(line.edge.source, node_set, visible)
                and self._is_drawn(line.edge.target, node_set, visible)
            ):
                continue
            if line.edge.status in STATUS_SWATCHES:
                styled_edges[line.edge.status].append(len(edge_indexes))
            edge_indexes.add(index)
            lines.append("  " + line.text)

        if self.diagram.diff:
            lines += legend_lines()
        lines += self._style_lines(node_set, visible, styled_edges)
        text = "\n".join(lines) + "\n"
        chart = MermaidChart(
            title=self._chart_title(visible),
            text=text,
            nodes=len(node_set),
            edges=len(edge_indexes),
        )
        return chart, edge_indexes

    def _is_drawn(self, model_id: str, node_set: set[str], visible: set[str]) -> bool:
        return model_id in node_set or model_id in visible

    def _emit_group(
        self,
        group_id: str | None,
        depth: int,
        node_set: set[str],
        visible: set[str],
        lines: list[str],
    ) -> None:
        indent = "  " * depth
        for node_id in self.members[group_id]:
            if node_id in node_set:
                lines.append(indent + self.node_lines[node_id])
        for child in self.children[group_id]:
            if child in visible:
                lines.append(indent + self._group_line(child))
                self._emit_group(child, depth + 1, node_set, visible, lines)
                lines.append(indent + "end")

    def _style_lines(
        self,
        node_set: set[str],
        visible: set[str],
        styled_edges: dict[str, list[int]],
    ) -> list[str]:
        members: dict[str, list[str]] = defaultdict(list)
        for node_id in self.diagram_order(node_set):
            node = self.nodes[node_id]
            members[provider_class(node.provider)].append(self.node_ids[node_id])
            if node.page_ref is not None:
                members["ref"].append(self.node_ids[node_id])
            if node.status in STATUS_SWATCHES:
                members[node.status].append(self.node_ids[node_id])
        for group_id in sorted(visible, key=self._group_order.__getitem__):
            group = self.groups[group_id]
            if group.level == "provider":
                members[provider_class(group.provider)].append(self.group_ids[group.id])
            if group.status in STATUS_SWATCHES:
                members[group.status].append(self.group_ids[group.id])

        lines: list[str] = []
        for name, swatch in CLASS_SWATCHES.items():
            if members.get(name) or (self.diagram.diff and name in STATUS_SWATCHES):
                lines.append(f"  classDef {name} {class_style(name, swatch)}")
        for name in CLASS_SWATCHES:
            if members.get(name):
                lines.append(f"  class {','.join(members[name])} {name}")
        for status, indexes in styled_edges.items():
            swatch = STATUS_SWATCHES[status]
            numbers = ",".join(str(index) for index in indexes)
            lines.append(
                f"  linkStyle {numbers} stroke:{swatch.stroke},stroke-width:2px"
            )
        return lines

    def diagram_order(self, node_set: set[str]) -> Iterable[str]:
        return sorted(node_set, key=self._node_order.__getitem__)

    @functools.cached_property
    def _node_order(self) -> dict[str, int]:
        return {node.id: index for index, node in enumerate(self.diagram.nodes)}

    @functools.cached_property
    def _group_order(self) -> dict[str, int]:
        return {group.id: index for index, group in enumerate(self.diagram.groups)}

    @functools.cached_property
    def _incident(self) -> dict[str, list[int]]:
        """The indexes of the edge lines at each node or group."""
        found: dict[str, list[int]] = defaultdict(list)
        for index, line in enumerate(self.edge_lines):
            found[line.edge.source].append(index)
            found[line.edge.target].append(index)
        return found

    def _chart_title(self, visible: set[str]) -> str:
        """The labels of the groups every node of the chart sits in."""
        path: list[str] = []
        level: str | None = None
        while True:
            shown = [child for child in self.children[level] if child in visible]
            if len(shown) != 1 or (level is not None and self.members[level]):
                break
            level = shown[0]
            path.append(clean_text(self.groups[level].label, 40))
        return " / ".join(path) or clean_text(self.diagram.title, 80)

    def notes(self, chart_count: int) -> list[str]:
        notes: list[str] = []
        page = ""
        if self.diagram.pages > 1:
            page = f"page {self.diagram.page}: "
        if chart_count > 1:
            notes.append(
                f"{page}split into {chart_count} Mermaid charts to stay within "
                f"Mermaid's default limits ({self.limits.text:,} characters, "
                f"{self.limits.edges} edges per chart)"
            )
        if self.undrawn_edges:
            notes.append(
                f"{page}not drawn: {plural(self.undrawn_edges, 'relationship')} "
                "between resources on different charts"
            )
        if self.unplaced_edges:
            notes.append(
                f"{page}not drawn: {plural(self.unplaced_edges, 'relationship')} "
                "to resources outside this page"
            )
        return notes
