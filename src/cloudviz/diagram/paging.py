"""`--paginate --max-nodes-per-page N`: one big diagram as linked pages.

The diagram is cut along its boxes (provider, account, region, network,
subnet): a box whose nodes fit on a page stays whole; a bigger one is cut into
its child boxes, and its own nodes into page-sized runs. Pieces fill pages in
diagram order, so neighbours share a page. Every page repeats the boxes around
its pieces, so each page still says where it is.

Page 1 is an index with one node per page. A relationship between two pages
is drawn on each of them to a stub node (in an "On other pages" box) whose
`page_ref` names the page where the other end lives.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from cloudviz.diagram.model import Diagram, Edge, Group, Node

OFF_PAGE_GROUP = "goffpage"

Piece = tuple[str | None, list[Node] | None]  # a whole box, or some of its nodes


def paginate(diagram: Diagram, max_nodes: int) -> list[Diagram]:
    """The pages of `diagram` with at most `max_nodes` nodes of its own each
    (stubs aside); a diagram that fits is returned alone."""
    if len(diagram.nodes) <= max_nodes:
        diagram.notes.append(
            f"All {len(diagram.nodes):,} nodes fit on one page of {max_nodes:,}."
        )
        return [diagram]
    cutter = _Cutter(diagram, max_nodes)
    pages = cutter.fill_pages(cutter.pieces())
    return cutter.build(pages)


class _Cutter:
    def __init__(self, diagram: Diagram, max_nodes: int) -> None:
        self.diagram = diagram
        self.max_nodes = max_nodes
        self.groups = {group.id: group for group in diagram.groups}
        self.children: dict[str | None, list[str]] = {}
        for group in diagram.groups:
            self.children.setdefault(group.parent, []).append(group.id)
        self.members: dict[str | None, list[Node]] = {}
        for node in diagram.nodes:
            self.members.setdefault(node.group, []).append(node)
        self.count: dict[str | None, int] = {}
        for group in reversed(diagram.groups):
            self.count[group.id] = len(self.members.get(group.id, ())) + sum(
                self.count[child] for child in self.children.get(group.id, ())
            )

    # -- cutting ----------------------------------------------------------------

    def pieces(self) -> Iterator[Piece]:
        yield from self.cut(None)

    def cut(self, group_id: str | None) -> Iterator[Piece]:
        if group_id is not None and self.count[group_id] <= self.max_nodes:
            yield (group_id, None)
            return
        for child in self.children.get(group_id, ()):
            yield from self.cut(child)
        own = self.members.get(group_id, [])
        for start in range(0, len(own), self.max_nodes):
            yield (group_id, own[start : start + self.max_nodes])

    def size(self, piece: Piece) -> int:
        group_id, nodes = piece
        if nodes is not None:
            return len(nodes)
        return self.count[group_id] if group_id is not None else 0

    def fill_pages(self, pieces: Iterator[Piece]) -> list[list[Piece]]:
        pages: list[list[Piece]] = [[]]
        used = 0
        for piece in pieces:
            size = self.size(piece)
            if pages[-1] and used + size > self.max_nodes:
                pages.append([])
                used = 0
            pages[-1].append(piece)
            used += size
        return pages

    # -- assembling pages ----------------------------------------------------------

    def ancestors(self, group_id: str | None) -> Iterator[str]:
        while group_id is not None:
            yield group_id
            group_id = self.groups[group_id].parent

    def build(self, pieces_by_page: list[list[Piece]]) -> list[Diagram]:
        first = 2  # page 1 is the index
        whole: dict[str, int] = {}
        node_page: dict[str, int] = {}
        group_pages: dict[str, set[int]] = {}
        for offset, pieces in enumerate(pieces_by_page):
            page = first + offset
            for group_id, nodes in pieces:
                if nodes is None and group_id is not None:
                    whole[group_id] = page
                for node in nodes or ():
                    node_page[node.id] = page
                for ancestor in self.ancestors(group_id):
                    group_pages.setdefault(ancestor, set()).add(page)

        for group in self.diagram.groups:
            owner = self._whole_owner(group.id, whole)
            if owner is not None:
                group_pages.setdefault(group.id, set()).add(owner)
        for node in self.diagram.nodes:
            if node.id not in node_page:
                owner = self._whole_owner(node.group, whole)
                node_page[node.id] = owner if owner is not None else first

        count = len(pieces_by_page)
        groups_on: dict[int, list[Group]] = {}
        for group in self.diagram.groups:  # in diagram order: parents first
            for number in sorted(group_pages.get(group.id, ())):
                groups_on.setdefault(number, []).append(copy.copy(group))
        nodes_on: dict[int, list[Node]] = {}
        for node in self.diagram.nodes:
            nodes_on.setdefault(node_page[node.id], []).append(node)
        pages = [
            self.page(
                first + offset,
                count + 1,
                pieces,
                groups_on.get(first + offset, []),
                nodes_on.get(first + offset, []),
            )
            for offset, pieces in enumerate(pieces_by_page)
        ]
        self.link_pages(pages, group_pages, node_page, first)
        return [self.index(pages), *pages]

    def _whole_owner(self, group_id: str | None, whole: dict[str, int]) -> int | None:
        for ancestor in self.ancestors(group_id):
            if ancestor in whole:
                return whole[ancestor]
        return None

    def page(
        self,
        number: int,
        total: int,
        pieces: list[Piece],
        groups: list[Group],
        nodes: list[Node],
    ) -> Diagram:
        where = self.where(pieces)
        return Diagram(
            title=f"{self.diagram.title} — page {number} of {total}: {where}",
            view=self.diagram.view,
            theme=self.diagram.theme,
            groups=groups,
            nodes=nodes,
            edges=[],
            notes=[],
            page=number,
            pages=total,
            diff=self.diagram.diff,
        )

    def where(self, pieces: list[Piece]) -> str:
        """The path of the innermost box holding every piece of a page."""
        chains = [list(reversed(list(self.ancestors(gid)))) for gid, _ in pieces]
        common: list[str] = []
        for level in zip(*chains, strict=False):
            if len(set(level)) != 1:
                break
            common.append(level[0])
        if not common:
            return "several places" if len(pieces) > 1 else "ungrouped resources"
        return " › ".join(self.groups[gid].label for gid in common)

    def link_pages(
        self,
        pages: list[Diagram],
        group_pages: dict[str, set[int]],
        node_page: dict[str, int],
        first: int,
    ) -> None:
        def pages_of(element: str) -> set[int]:
            if element in node_page:
                return {node_page[element]}
            return group_pages.get(element, set())

        elements: dict[str, Group | Node] = {g.id: g for g in self.diagram.groups}
        elements.update({n.id: n for n in self.diagram.nodes})
        links = 0
        stubs: dict[int, set[str]] = {}
        for edge in self.diagram.edges:
            source_pages, target_pages = pages_of(edge.source), pages_of(edge.target)
            if not source_pages or not target_pages:
                continue
            shared = source_pages & target_pages
            if shared:
                pages[min(shared) - first].edges.append(edge)
                continue
            links += 1
            home_s, home_t = min(source_pages), min(target_pages)
            page = pages[home_s - first]
            known = stubs.setdefault(home_s, set())
            stub = _stub(page, known, elements[edge.target], home_t)
            page.edges.append(_relinked(edge, edge.source, stub))
            known = stubs.setdefault(home_t, set())
            stub = _stub(pages[home_t - first], known, elements[edge.source], home_s)
            pages[home_t - first].edges.append(_relinked(edge, stub, edge.target))
        self.cross_links = links

    def index(self, pages: list[Diagram]) -> Diagram:
        total = len(pages) + 1
        nodes = []
        for page in pages:
            _, _, where = page.title.partition(f"of {total}: ")
            own = sum(1 for node in page.nodes if node.page_ref is None)
            nodes.append(
                Node(
                    id=f"page{page.page}",
                    label=f"Page {page.page}",
                    kind="page",
                    provider="other",
                    detail=f"{own:,} nodes · {where}",
                    details={"page": str(page.page), "where": where, "nodes": str(own)},
                    page_ref=page.page,
                )
            )
        notes = [
            *self.diagram.notes,
            f"Split {len(self.diagram.nodes):,} nodes into {len(pages):,} pages of at "
            f"most {self.max_nodes:,}; page 1 is this index. "
            f"{self.cross_links:,} relationships between pages end at stub nodes.",
        ]
        return Diagram(
            title=f"{self.diagram.title} — index (page 1 of {total})",
            view=self.diagram.view,
            theme=self.diagram.theme,
            nodes=nodes,
            notes=notes,
            page=1,
            pages=total,
            diff=self.diagram.diff,
        )


def _stub(page: Diagram, known: set[str], element: Group | Node, home: int) -> str:
    """The id of the stub on `page` standing for `element` of page `home`;
    `known` holds the stubs the page has already."""
    stub_id = "x" + element.id
    if stub_id in known:
        return stub_id
    if not known:
        page.groups.insert(
            0,
            Group(
                id=OFF_PAGE_GROUP,
                label="On other pages",
                level="page",
                details={"level": "page", "name": "On other pages"},
            ),
        )
    if isinstance(element, Node):
        kind, provider = element.kind, element.provider
    else:
        kind, provider = element.kind or "other", element.provider or "other"
    known.add(stub_id)
    page.nodes.append(
        Node(
            id=stub_id,
            label=element.label,
            kind=kind,
            provider=provider,
            group=OFF_PAGE_GROUP,
            resource_id=element.resource_id,
            detail=f"→ page {home}",
            details={**element.details, "page": str(home)},
            status=element.status,
            page_ref=home,
        )
    )
    return stub_id


def _relinked(edge: Edge, source: str, target: str) -> Edge:
    return Edge(edge.id, source, target, edge.type, edge.status, edge.count)
