"""Colours and shapes the text writers (Mermaid, DOT, draw.io) share.

One palette keeps the three editable formats looking alike: a colour per
provider, a colour per diff status, and a shape family per kind family.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Swatch:
    """Fill, stroke and text colour of one class of shapes."""

    fill: str
    stroke: str
    text: str = "#1F2933"


PROVIDER_SWATCHES = {
    "aws": Swatch(fill="#FFF4E5", stroke="#FF9900"),
    "azure": Swatch(fill="#E8F3FC", stroke="#0078D4"),
    "gcp": Swatch(fill="#EAF6EC", stroke="#34A853"),
}
OTHER_SWATCH = Swatch(fill="#F2F4F7", stroke="#7B8794")

STATUS_SWATCHES = {
    "added": Swatch(fill="#E6F4EA", stroke="#1E8E3E", text="#0B5323"),
    "removed": Swatch(fill="#FCE8E6", stroke="#D93025", text="#8C1D18"),
    "changed": Swatch(fill="#FEF7E0", stroke="#E37400", text="#7A4100"),
}
STATUS_ORDER = ("added", "removed", "changed")

GROUP_STROKE = "#9AA5B1"
PAGE_REF_SWATCH = Swatch(fill="#FFFFFF", stroke="#52606D")


def provider_swatch(provider: str | None) -> Swatch:
    return PROVIDER_SWATCHES.get(provider or "", OTHER_SWATCH)


def shape_family(kind: str) -> str:
    """A coarse shape for a kind: `store`, `function`, `queue`, `edge`,
    `guard` or `box`; each writer draws these with its own shapes."""
    family, _, thing = kind.partition(".")
    if family in {"database", "storage"}:
        return "store"
    if kind == "compute.function":
        return "function"
    if family == "messaging":
        return "queue"
    if family == "network" and thing in {
        "gateway",
        "load_balancer",
        "public_ip",
        "dns",
        "cdn",
    }:
        return "edge"
    if kind == "network.security_group" or family == "security":
        return "guard"
    return "box"


def relationship_label(relationship_type: str) -> str:
    """`secured_by` reads better as `secured by` on an arrow."""
    return relationship_type.replace("_", " ")
