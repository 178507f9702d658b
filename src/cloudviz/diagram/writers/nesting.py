"""A page's groups as a tree, for the writers that emit nested blocks."""

from __future__ import annotations

from collections import defaultdict

from cloudviz.diagram.model import Diagram, Group, Node


class Nesting:
    """Who holds whom on one page, in the model's order.

    `children[None]` and `members[None]` are the top level; a group whose
    parent is not on the page, or a node whose group is not, counts as top
    level too.
    """

    def __init__(self, diagram: Diagram) -> None:
        self.groups: dict[str, Group] = {group.id: group for group in diagram.groups}
        self.children: dict[str | None, list[Group]] = defaultdict(list)
        for group in diagram.groups:
            parent = group.parent if group.parent in self.groups else None
            self.children[parent].append(group)
        self.members: dict[str | None, list[Node]] = defaultdict(list)
        for node in diagram.nodes:
            owner = node.group if node.group in self.groups else None
            self.members[owner].append(node)

    def ancestors(self, group_id: str | None) -> list[str]:
        """`group_id` and the groups around it, innermost first."""
        chain: list[str] = []
        while group_id is not None and group_id in self.groups:
            if group_id in chain:  # a cycle in bad input: stop, do not hang
                break
            chain.append(group_id)
            group_id = self.groups[group_id].parent
        return chain
