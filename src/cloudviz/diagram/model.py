"""The laid-out diagram every writer reads.

A view turns an Inventory into groups (nested boxes), nodes and edges; the
layout gives each a position and size in one coordinate space (pixels, origin
top-left, y down); the writers only translate this model into their format.
Ids are stable: the same inventory and options give the same ids, so draw.io
files and cached renders stay comparable between runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Group:
    """A box that contains nodes and other groups (account, region, VPC...)."""

    id: str
    label: str
    level: str  # provider, account, resource_group, region, network, subnet,
    # container (another resource that holds resources), page (off-page stubs)
    parent: str | None = None
    provider: str | None = None
    resource_id: str | None = None  # the resource drawn as this box, if any
    kind: str | None = None  # that resource's kind
    detail: str = ""  # its key property (a VPC's CIDR), shown beside the label
    details: dict[str, str] = field(default_factory=dict)  # hover / panel text
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    status: str | None = None  # diff colouring: added, removed, changed


@dataclass(slots=True)
class Node:
    """One resource, or several collapsed into one (`count` > 1)."""

    id: str
    label: str
    kind: str
    provider: str
    group: str | None = None
    resource_id: str | None = None
    detail: str = ""  # one key property, shown under the label
    details: dict[str, str] = field(default_factory=dict)  # hover / panel text
    count: int = 1
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    status: str | None = None
    page_ref: int | None = None  # for a stub that points to another page


@dataclass(slots=True)
class Edge:
    """A relationship between two nodes (or groups), with its route."""

    id: str
    source: str
    target: str
    type: str
    status: str | None = None
    count: int = 1  # relationships bundled into this edge (after collapsing)
    # The route as a polyline: the first point on the source's border, the last
    # on the target's, orthogonal bends in between; writers draw it as given.
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass(slots=True)
class Diagram:
    """One page: everything a writer needs and nothing it must compute."""

    title: str
    view: str
    theme: str = "light"
    groups: list[Group] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    notes: list[str] = field(default_factory=list)  # what was collapsed, paged
    page: int = 1
    pages: int = 1
    diff: bool = False
