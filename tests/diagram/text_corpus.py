"""Hand-made diagrams for the text-writer tests, independent of the views.

`diagram_from_inventory` nests resources the simple way (provider → account →
region → network → subnet) and lays them out in grids, which is all the
Mermaid, DOT and draw.io writers need to be exercised at any size.
"""

from __future__ import annotations

from collections import defaultdict

from cloudviz.diagram.model import Diagram, Edge, Group, Node
from cloudviz.inventory.model import Inventory, Relationship, Resource
from tests.diagram.hostile import HOSTILE_NAMES as CORE_HOSTILE_NAMES
from tests.factories import make_inventory, make_resource

CONTAINER_KINDS = {"network.vpc": "network", "network.subnet": "subnet"}

# diagram-core's corpus plus names aimed at the text formats' own syntax.
HOSTILE_NAMES = (
    *CORE_HOSTILE_NAMES,
    "%%{init: {'theme': 'dark'}}%%",
    "```mermaid\n```",
    "a&amp;b &lt; #quot; #35; ﬂ°°lt¶ß",
    "-->|x| y; A---oB",
    "graph subgraph style class click default",
    'say "hi" and \\"bye\\"',
    "back\\slash\\N\\G\\l\\",
    "\u202eevil\u200b",
)


def diagram_from_inventory(
    inventory: Inventory, *, status: dict[str, str] | None = None
) -> Diagram:
    status = status or {}
    by_id = inventory.by_id()
    groups: dict[str, Group] = {}
    nodes: list[Node] = []

    def place(resource: Resource) -> str:
        parent = by_id.get(resource.parent or "")
        if parent is not None and parent.kind in CONTAINER_KINDS:
            return container(parent)
        provider_id = f"p:{resource.provider}"
        if provider_id not in groups:
            groups[provider_id] = Group(
                provider_id,
                resource.provider.upper(),
                "provider",
                None,
                resource.provider,
            )
        account_id = f"a:{resource.provider}:{resource.account}"
        if account_id not in groups:
            groups[account_id] = Group(
                account_id,
                str(resource.account),
                "account",
                provider_id,
                resource.provider,
            )
        region_id = f"r:{account_id}:{resource.region}"
        if region_id not in groups:
            groups[region_id] = Group(
                region_id,
                str(resource.region),
                "region",
                account_id,
                resource.provider,
            )
        return region_id

    def container(resource: Resource) -> str:
        group_id = f"c:{resource.id}"
        if group_id not in groups:
            parent = place(resource)
            groups[group_id] = Group(
                group_id,
                resource.name,
                CONTAINER_KINDS[resource.kind],
                parent,
                resource.provider,
                resource_id=resource.id,
                status=status.get(resource.id),
            )
        return group_id

    for resource in inventory.resources:
        if resource.kind in CONTAINER_KINDS:
            container(resource)
            continue
        detail = next(iter(resource.properties.values()), "")
        nodes.append(
            Node(
                id=f"n:{resource.id}",
                label=resource.name,
                kind=resource.kind,
                provider=resource.provider,
                group=place(resource),
                resource_id=resource.id,
                detail=str(detail),
                details={"id": resource.id, **resource.tags},
                status=status.get(resource.id),
            )
        )

    endpoints = {node.resource_id: node.id for node in nodes}
    endpoints.update({g.resource_id: g.id for g in groups.values() if g.resource_id})
    edges = [
        Edge(
            id=f"e:{index}",
            source=endpoints[rel.source],
            target=endpoints[rel.target],
            type=rel.type,
            status=status.get(f"{rel.source}->{rel.target}"),
        )
        for index, rel in enumerate(inventory.relationships)
        if rel.source in endpoints
        and rel.target in endpoints
        and rel.type != "contains"
    ]
    diagram = Diagram(
        title=inventory.name,
        view="architecture",
        groups=list(groups.values()),
        nodes=nodes,
        edges=edges,
        diff=bool(status),
    )
    lay_out(diagram)
    return diagram


def lay_out(diagram: Diagram) -> None:
    """Grids of 4 columns inside each box, boxes stacked down their parent."""
    children: dict[str | None, list[Group]] = defaultdict(list)
    for group in diagram.groups:
        children[group.parent].append(group)
    members: dict[str | None, list[Node]] = defaultdict(list)
    for node in diagram.nodes:
        members[node.group].append(node)

    def place(owner: str | None, x: float, y: float) -> tuple[float, float]:
        top = y + (30 if owner else 0)
        width = 0.0
        for index, node in enumerate(members[owner]):
            node.x = x + 20 + (index % 4) * 170
            node.y = top + (index // 4) * 80
            node.width, node.height = 150, 60
            width = max(width, node.x + 170 - x)
        cursor = top + ((len(members[owner]) + 3) // 4) * 80
        for group in children[owner]:
            group.x, group.y = x + 20, cursor
            group_width, group_height = place(group.id, group.x, group.y)
            group.width, group.height = group_width, group_height
            width = max(width, group_width + 40)
            cursor += group_height + 20
        return max(width, 200.0), cursor - y + 20

    diagram.width, diagram.height = place(None, 0, 0)


def hostile_inventory() -> Inventory:
    """Every hostile name as a network, a subnet, a VM and a bucket."""
    resources: list[Resource] = []
    relationships: list[Relationship] = []
    for index, name in enumerate(HOSTILE_NAMES):
        vpc = make_resource(
            id=f"vpc-{index}", kind="network.vpc", type="AWS::EC2::VPC", name=name
        )
        subnet = make_resource(
            id=f"subnet-{index}",
            kind="network.subnet",
            type="AWS::EC2::Subnet",
            name=name,
            parent=vpc.id,
        )
        vm = make_resource(
            id=f'i-{index}"\\<{name}>',
            name=name,
            parent=subnet.id,
            properties={"note": name},
            tags={name: name},
        )
        bucket = make_resource(
            id=f"bucket-{index}",
            kind="storage.bucket",
            type="AWS::S3::Bucket",
            name=name,
            account=name,
            region=name,
        )
        resources += [vpc, subnet, vm, bucket]
        relationships.append(Relationship(vm.id, bucket.id, "uses"))
    return make_inventory(resources, relationships, name=HOSTILE_NAMES[0])
