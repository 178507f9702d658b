"""A corpus of hostile names, and an inventory factory that uses them everywhere.

Every writer must survive this inventory: no broken output, nothing injected.
The names are aimed at each format's syntax (XML/HTML, Mermaid, DOT, JSON,
CSV-ish tools) and at text handling (newlines, control characters, bidi
overrides, very long and non-ASCII text).

    from tests.diagram.hostile import HOSTILE_NAMES, hostile_inventory
"""

from __future__ import annotations

from cloudviz.inventory.model import Inventory, Relationship, Resource
from tests.factories import make_inventory, make_resource

SCRIPT = "<script>alert(1)</script>"

HOSTILE_NAMES: tuple[str, ...] = (
    f'"]; {SCRIPT}',
    "end",
    "%% x",
    "line one\nline two",
    "carriage\rreturn\ttab",
    "quote \" and apostrophe ' and backtick `",
    "ampersand & entity &amp; &#x3c; &lt;",
    "</script><script>alert(2)</script>",
    "]]><!-- cdata end and comment -->",
    "<![CDATA[x]]>",
    "{curly} [square] (round) <angle> |pipe|",
    "subgraph cluster_x { a -> b }",
    "graph TD; A-->B; click A call alert(1)",
    "classDef evil fill:#f00;",
    'label="x" URL="javascript:alert(1)"',
    "back\\slash \\n \\\\",
    "nul\x00 bell\x07 escape\x1b del\x7f",
    "unicode ✓ 日本語 émoji 🚀 RTL \u202eevil\u202c",
    "line\u2028separator\u2029paragraph",
    "-->",
    "   leading and trailing spaces   ",
    "x" * 500,
    "style A fill:#f00",
    "${jndi:ldap://127.0.0.1/a}",
    "javascript:alert(1)",
)


def hostile_inventory() -> Inventory:
    """An estate whose every name, tag, property, account, region, group and
    relationship endpoint id is hostile; it nests a VPC, a subnet and VMs so
    every level of every view holds hostile text."""
    first = HOSTILE_NAMES[0]
    vpc = make_resource(
        id=f"vpc/{first}",
        type="AWS::EC2::VPC",
        kind="network.vpc",
        name=first,
        account=HOSTILE_NAMES[1],
        region=HOSTILE_NAMES[2],
        group=HOSTILE_NAMES[3],
        tags={HOSTILE_NAMES[4]: HOSTILE_NAMES[5]},
        properties={"cidr": HOSTILE_NAMES[6]},
    )
    subnet = make_resource(
        id=f"subnet/{HOSTILE_NAMES[7]}",
        type="AWS::EC2::Subnet",
        kind="network.subnet",
        name=HOSTILE_NAMES[7],
        account=HOSTILE_NAMES[1],
        region=HOSTILE_NAMES[2],
        parent=vpc.id,
        properties={"cidr": HOSTILE_NAMES[8]},
    )
    resources: list[Resource] = [vpc, subnet]
    relationships: list[Relationship] = []
    for index, name in enumerate(HOSTILE_NAMES):
        resource = make_resource(
            id=f"i-{index}/{name}",
            name=name,
            account=HOSTILE_NAMES[1],
            region=HOSTILE_NAMES[2],
            group=name,
            parent=subnet.id if index % 3 else None,
            tags={name: name, "env": name},
            properties={"instance_type": name, name: name, "state": name},
        )
        resources.append(resource)
        if index:
            relationships.append(Relationship(resource.id, resources[-2].id, "uses"))
    sg = make_resource(
        id=f"sg/{HOSTILE_NAMES[9]}",
        type="AWS::EC2::SecurityGroup",
        kind="network.security_group",
        name=HOSTILE_NAMES[9],
        account=HOSTILE_NAMES[1],
        region=HOSTILE_NAMES[2],
        parent=vpc.id,
    )
    resources.append(sg)
    relationships += [Relationship(r.id, sg.id, "secured_by") for r in resources[2:6]]
    relationships.append(Relationship(resources[3].id, vpc.id, "attached_to"))
    return make_inventory(resources, relationships, name=HOSTILE_NAMES[0])
