"""Views: which groups, nodes and edges a diagram of an inventory holds.

- `architecture`: provider → account → [resource group] → region → network →
  subnet → resources, as nested boxes. A resource that other resources name as
  `parent` (and every network and subnet) is drawn as a box; a resource without
  a parent sits in its region's box. Network interfaces attached to a VM are
  folded into the VM's details, and `secured_by` relationships are listed
  there too: the network view draws both.
- `network`: the same nesting limited to network resources and what they
  attach to, secure or target, with those relationships drawn.
- `dependencies`: every resource that takes part in a relationship, and the
  relationships, without nesting.

Edges whose endpoint is a box that contains the other endpoint are left out:
the nesting already shows them. Positions come later (`layout`).
"""

from __future__ import annotations

from collections.abc import Iterable

from cloudviz.diagram.changes import ChangeMarks
from cloudviz.diagram.deadline import CHECK_EVERY, NO_DEADLINE, Deadline
from cloudviz.diagram.escape import one_line, truncate
from cloudviz.diagram.labels import key_property, resource_details, stable_id
from cloudviz.diagram.model import Diagram, Edge, Group, Node
from cloudviz.diagram.options import VIEWS, RenderOptions
from cloudviz.diagram.style import ACCOUNT_WORDS, PROVIDER_NAMES
from cloudviz.errors import ValidationError
from cloudviz.inventory.kinds import kind_family
from cloudviz.inventory.model import Inventory, Relationship, Resource

BOX_KINDS = {"network.vpc": "network", "network.subnet": "subnet"}
NETWORK_RELATIONSHIPS = frozenset(
    {"attached_to", "secured_by", "targets", "peers_with", "routes_to"}
)
BUNDLE_MINIMUM = 2  # parallel relationships that become one line from their box
LABEL_LIMIT = 120  # characters kept of a name; writers shorten further to fit


def build_view(
    inventory: Inventory,
    options: RenderOptions,
    marks: ChangeMarks | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> Diagram:
    """The unpositioned diagram of `inventory` in the view `options.view`."""
    if options.view not in VIEWS:
        raise ValidationError(
            f"unknown view {options.view!r}", hint="use one of: " + ", ".join(VIEWS)
        )
    builder = _ViewBuilder(inventory, options, marks or ChangeMarks(), deadline)
    diagram = builder.build()
    diagram.diff = marks is not None
    return diagram


def _label(text: str) -> str:
    return truncate(one_line(text), LABEL_LIMIT)


class _ViewBuilder:
    def __init__(
        self,
        inventory: Inventory,
        options: RenderOptions,
        marks: ChangeMarks,
        deadline: Deadline,
    ) -> None:
        self.inventory = inventory
        self.options = options
        self.view = options.view
        self.marks = marks
        self.deadline = deadline
        self.by_id = {resource.id: resource for resource in inventory.resources}
        parents = {r.parent for r in inventory.resources if r.parent in self.by_id}
        nested = self.view != "dependencies"
        self.boxes = {
            r.id
            for r in inventory.resources
            if nested and (r.kind in BOX_KINDS or r.id in parents)
        }
        self.groups: dict[str, Group] = {}
        self.box_groups: dict[str, str] = {}  # resource id → group id
        self.region_groups: dict[tuple[str, str, str | None, str], str] = {}
        self.visiting: set[str] = set()
        self.nodes: list[Node] = []
        self.node_ids: dict[str, str] = {}  # resource id → node id
        self.notes: list[str] = []
        self.interfaces: dict[str, list[str]] = {}  # host id → folded NIC ids

    # -- the whole view ---------------------------------------------------

    def build(self) -> Diagram:
        folded = self.fold_interfaces() if self.view == "architecture" else {}
        listed = self.list_security_groups()
        for index, resource in enumerate(self.included()):
            if index % CHECK_EVERY == 0:
                self.deadline.check()
            if resource.id in self.boxes:
                self.box_group(resource)
            elif resource.id not in folded:
                self.add_node(resource, listed.get(resource.id))
        for nic_id, host_id in folded.items():
            self.node_ids[nic_id] = self.node_ids[host_id]
        edges = self.edges(folded)
        groups, nodes = self.ordered()
        title = f"{one_line(self.inventory.name)} — {self.view} view"
        return Diagram(
            title=truncate(title, 160),
            view=self.view,
            theme=self.options.theme,
            groups=groups,
            nodes=nodes,
            edges=edges,
            notes=self.notes,
        )

    def included(self) -> Iterable[Resource]:
        resources = self.inventory.resources
        if self.view == "architecture":
            return resources
        if self.view == "dependencies":
            linked = {
                end
                for rel in self.inventory.relationships
                if rel.type != "contains"
                for end in (rel.source, rel.target)
            }
            return [r for r in resources if r.id in linked]
        return self.network_members()

    def network_members(self) -> list[Resource]:
        by_id = self.by_id
        wanted = {
            r.id
            for r in self.inventory.resources
            if kind_family(r.kind) == "network" or r.kind in BOX_KINDS
        }
        for rel in self.inventory.relationships:
            if rel.type not in NETWORK_RELATIONSHIPS:
                continue
            source, target = by_id[rel.source], by_id[rel.target]
            if kind_family(source.kind) == "network":
                wanted.add(target.id)
            if kind_family(target.kind) == "network":
                wanted.add(source.id)
        return [r for r in self.inventory.resources if r.id in wanted]

    # -- folding what the architecture view does not draw -------------------

    def fold_interfaces(self) -> dict[str, str]:
        """NIC id → the VM (or other resource) it is attached to."""
        folded: dict[str, str] = {}
        hosts: dict[str, list[str]] = {}
        for rel in self.inventory.relationships:
            if rel.type != "attached_to":
                continue
            for nic_id, host_id in ((rel.source, rel.target), (rel.target, rel.source)):
                nic, host = self.by_id[nic_id], self.by_id[host_id]
                if (
                    nic.kind == "network.nic"
                    and kind_family(host.kind) != "network"
                    and nic_id not in self.boxes
                    and host_id not in self.boxes
                    and nic_id not in folded
                    and nic_id not in self.marks.resources
                ):
                    folded[nic_id] = host_id
                    hosts.setdefault(host_id, []).append(nic_id)
        self.interfaces = hosts
        if folded:
            self.notes.append(
                f"{len(folded):,} network interfaces are shown in the details of "
                "what they attach to (--view network draws them)."
            )
        return folded

    def list_security_groups(self) -> dict[str, str]:
        """Resource id → the names of the security groups that secure it."""
        names: dict[str, list[str]] = {}
        count = 0
        for rel in self.inventory.relationships:
            if rel.type == "secured_by":
                names.setdefault(rel.source, []).append(self.by_id[rel.target].name)
                count += 1
        if count and self.view == "architecture":
            self.notes.append(
                f"{count:,} secured_by relationships are listed in resource "
                "details, not drawn (--view network draws them)."
            )
        return {rid: truncate(", ".join(group), 200) for rid, group in names.items()}

    # -- groups -------------------------------------------------------------

    def container_of(self, resource: Resource) -> str | None:
        if self.view == "dependencies":
            return None
        parent = resource.parent
        if parent is not None and parent in self.boxes:
            return self.box_group(self.by_id[parent])
        return self.region_group(resource)

    def box_group(self, resource: Resource) -> str:
        group_id = self.box_groups.get(resource.id)
        if group_id is not None:
            return group_id
        if resource.id in self.visiting:  # a parent cycle: break it here
            return self.region_group(resource)
        self.visiting.add(resource.id)
        parent = self.container_of(resource)
        self.visiting.discard(resource.id)

        level = BOX_KINDS.get(resource.kind)
        if level is None:
            level = (
                "resource_group"
                if resource.kind == "management.group"
                else ("container")
            )
        details = resource_details(resource)
        status = self.marks.resources.get(resource.id)
        if status == "changed":
            details["changed"] = self.marks.describe_change(resource.id)
        group_id = stable_id("g", "r|" + resource.id)
        self.groups[group_id] = Group(
            id=group_id,
            label=_label(resource.name),
            level=level,
            parent=parent,
            provider=resource.provider,
            resource_id=resource.id,
            kind=resource.kind,
            detail=key_property(resource),
            details=details,
            status=status,
        )
        self.box_groups[resource.id] = group_id
        return group_id

    def region_group(self, resource: Resource) -> str:
        provider = resource.provider
        account = resource.account or "(no account)"
        by_group = self.options.group_by == "resource-group" and bool(resource.group)
        resource_group = resource.group if by_group else None
        region = resource.region or "global"
        key = (provider, account, resource_group, region)
        group_id = self.region_groups.get(key)
        if group_id is not None:
            return group_id

        parent = self.named_group(
            (provider,), PROVIDER_NAMES.get(provider, provider), "provider", None
        )
        word = ACCOUNT_WORDS.get(provider, "Account")
        parent = self.named_group(
            (provider, account), f"{word} {account}", "account", parent
        )
        if resource_group is not None:
            parent = self.named_group(
                (provider, account, "rg", resource_group.casefold()),
                f"Resource group {resource_group}",
                "resource_group",
                parent,
            )
        group_id = self.named_group((*key[:3], region), region, "region", parent)
        self.region_groups[key] = group_id
        return group_id

    def named_group(
        self, key: tuple[str | None, ...], label: str, level: str, parent: str | None
    ) -> str:
        group_id = stable_id("g", "|".join(part or "" for part in key))
        if group_id not in self.groups:
            self.groups[group_id] = Group(
                id=group_id,
                label=_label(label),
                level=level,
                parent=parent,
                provider=key[0],
                details={"level": level.replace("_", " "), "name": _label(label)},
            )
        return group_id

    # -- nodes ----------------------------------------------------------------

    def add_node(self, resource: Resource, secured_by: str | None) -> None:
        details = resource_details(resource)
        if secured_by:
            details["secured by"] = secured_by
        for nic_id in self.interfaces.get(resource.id, ()):
            nic = self.by_id[nic_id]
            address = nic.properties.get("private_ip")
            text = f"{nic.name} ({address})" if address else nic.name
            previous = details.get("network interfaces")
            details["network interfaces"] = truncate(
                f"{previous}, {text}" if previous else one_line(text), 200
            )
        status = self.marks.resources.get(resource.id)
        if status == "changed":
            details["changed"] = self.marks.describe_change(resource.id)
        node_id = stable_id("n", resource.id)
        self.node_ids[resource.id] = node_id
        self.nodes.append(
            Node(
                id=node_id,
                label=_label(resource.name),
                kind=resource.kind,
                provider=resource.provider,
                group=self.container_of(resource),
                resource_id=resource.id,
                detail=key_property(resource),
                details=details,
                status=status,
            )
        )

    # -- edges ----------------------------------------------------------------

    def wanted_relationship(self, rel: Relationship, folded: dict[str, str]) -> bool:
        if rel.type == "contains":
            return False
        if self.view == "network":
            return rel.type in NETWORK_RELATIONSHIPS
        if self.view == "architecture":
            if rel.type == "secured_by":
                return False
            if rel.type == "attached_to" and (
                rel.source in folded or rel.target in folded
            ):
                return False
        return True

    def element_of(self, resource_id: str) -> str | None:
        node_id = self.node_ids.get(resource_id)
        if node_id is not None:
            return node_id
        return self.box_groups.get(resource_id)

    def edges(self, folded: dict[str, str]) -> list[Edge]:
        container = {node.id: node.group for node in self.nodes}
        container.update({g.id: g.parent for g in self.groups.values()})
        edges: dict[tuple[str, str, str, str | None], Edge] = {}
        for index, rel in enumerate(self.inventory.relationships):
            if index % CHECK_EVERY == 0:
                self.deadline.check()
            if not self.wanted_relationship(rel, folded):
                continue
            source, target = self.element_of(rel.source), self.element_of(rel.target)
            if source is None or target is None or source == target:
                continue
            if _encloses(container, source, target) or _encloses(
                container, target, source
            ):
                continue
            status = self.marks.relationships.get(rel)
            key = (source, target, rel.type, status)
            edge = edges.get(key)
            if edge is None:
                edge_id = stable_id("e", "|".join((source, target, rel.type)))
                if status:
                    edge_id += status[0]
                edges[key] = Edge(edge_id, source, target, rel.type, status)
            else:
                edge.count += 1
        drawn = list(edges.values())
        if self.view == "network":
            drawn = self.bundle_fan_in(drawn, container, "secured_by")
        return sorted(drawn, key=lambda edge: edge.id)

    def bundle_fan_in(
        self, edges: list[Edge], container: dict[str, str | None], rel_type: str
    ) -> list[Edge]:
        """Many resources of one box with the same `rel_type` relationship to
        one target become one line from the box (each keeps it in details)."""
        fans: dict[tuple[str, str | None, str], list[Edge]] = {}
        for edge in edges:
            box = container.get(edge.source)
            if edge.type != rel_type or box is None or box == edge.target:
                continue
            if not _encloses(container, box, edge.target):
                fans.setdefault((edge.target, edge.status, box), []).append(edge)
        bundled: dict[int, Edge] = {}
        merged = 0
        for (target, status, box), members in fans.items():
            if len(members) < BUNDLE_MINIMUM:
                continue
            edge_id = stable_id("e", "|".join((box, target, rel_type)))
            bundle = Edge(
                edge_id + (status[0] if status else ""),
                box,
                target,
                rel_type,
                status,
                sum(member.count for member in members),
            )
            for member in members:
                bundled[id(member)] = bundle
            merged += len(members)
        if not merged:
            return edges
        self.notes.append(
            f"{merged:,} {rel_type} relationships of resources sharing a box and a "
            "target are drawn as one line from the box (details list each)."
        )
        kept = [edge for edge in edges if id(edge) not in bundled]
        return kept + list({id(e): e for e in bundled.values()}.values())

    # -- a stable order ----------------------------------------------------

    def ordered(self) -> tuple[list[Group], list[Node]]:
        """Groups parents first, siblings by label; nodes by group, kind, name."""
        children: dict[str | None, list[Group]] = {}
        for group in self.groups.values():
            children.setdefault(group.parent, []).append(group)
        ordered: list[Group] = []
        stack: list[str | None] = [None]
        position: dict[str | None, int] = {None: -1}
        while stack:
            parent = stack.pop()
            kids = sorted(
                children.get(parent, ()), key=lambda g: (g.label.casefold(), g.id)
            )
            for group in kids:
                position[group.id] = len(ordered)
                ordered.append(group)
            stack.extend(group.id for group in reversed(kids))
        nodes = sorted(
            self.nodes,
            key=lambda n: (position[n.group], n.kind, n.label.casefold(), n.id),
        )
        return ordered, nodes


def _encloses(container: dict[str, str | None], outer: str, inner: str) -> bool:
    """Whether the box `outer` contains the element `inner` at any depth."""
    current = container.get(inner)
    while current is not None:
        if current == outer:
            return True
        current = container.get(current)
    return False
