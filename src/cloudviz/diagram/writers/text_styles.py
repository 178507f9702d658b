"""Colours and shapes the text writers (Mermaid, DOT, draw.io) share.

One palette keeps the three editable formats looking alike: a colour per
provider, a colour per diff status, and a shape family per kind family.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloudviz.diagram.style import PROVIDER_COLOURS, STATUS_COLOURS


@dataclass(frozen=True, slots=True)
class Swatch:
    """Fill, stroke and text colour of one class of shapes."""

    fill: str
    stroke: str
    text: str = "#1F2933"


# Strokes are the graphical writers' colours (cloudviz.diagram.style), so
# every format draws a provider or a change in the same colour.
PROVIDER_SWATCHES = {
    "aws": Swatch(fill="#FFF4E5", stroke=PROVIDER_COLOURS["aws"]),
    "azure": Swatch(fill="#E8F3FC", stroke=PROVIDER_COLOURS["azure"]),
    "gcp": Swatch(fill="#EAF6EC", stroke=PROVIDER_COLOURS["gcp"]),
}
OTHER_SWATCH = Swatch(fill="#F2F4F7", stroke=PROVIDER_COLOURS["other"])

STATUS_SWATCHES = {
    "added": Swatch(fill="#E6F4EA", stroke=STATUS_COLOURS["added"], text="#0B5323"),
    "removed": Swatch(fill="#FCE8E6", stroke=STATUS_COLOURS["removed"], text="#8C1D18"),
    "changed": Swatch(fill="#FEF7E0", stroke=STATUS_COLOURS["changed"], text="#7A4100"),
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
