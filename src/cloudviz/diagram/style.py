"""How diagrams look: provider colours, themes, and a glyph per kind.

Every graphical writer (SVG, PNG, PDF, HTML, and draw.io if it wants them)
takes its colours and icons from here, so a diagram looks the same in every
format. Glyphs are SVG fragments in a 24×24 box that inherit their fill, so
one definition serves both providers' colours and both themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cloudviz.diagram.model import Diagram

PROVIDER_COLOURS = {
    "aws": "#E07B00",
    "azure": "#0078D4",
    "gcp": "#1E8E3E",
    "other": "#6B7280",
}
PROVIDER_NAMES = {
    "aws": "AWS",
    "azure": "Azure",
    "gcp": "Google Cloud",
    "other": "Other",
}
ACCOUNT_WORDS = {
    "aws": "Account",
    "azure": "Subscription",
    "gcp": "Project",
    "other": "Account",
}
# Words for kinds on node labels (the exact kind is in every hover).
KIND_NAMES = {
    "network.vpc": "network",
    "network.subnet": "subnet",
    "network.nic": "NIC",
    "network.security_group": "security group",
    "network.load_balancer": "load balancer",
    "network.gateway": "gateway",
    "network.public_ip": "public IP",
    "network.dns": "DNS zone",
    "network.cdn": "CDN",
    "compute.vm": "VM",
    "compute.scale_set": "scale set",
    "compute.function": "function",
    "container.cluster": "container cluster",
    "container.service": "container service",
    "storage.bucket": "bucket",
    "storage.disk": "disk",
    "database.sql": "SQL database",
    "database.nosql": "NoSQL database",
    "database.cache": "cache",
    "messaging.queue": "queue",
    "messaging.topic": "topic",
    "security.identity": "identity",
    "security.key_vault": "key vault",
    "management.group": "resource group",
    "page": "page",
    "other": "other",
}


def kind_name(kind: str) -> str:
    """`VM` for `compute.vm`; unknown kinds as they are."""
    return KIND_NAMES.get(kind, kind)


STATUS_COLOURS = {"added": "#16A34A", "removed": "#DC2626", "changed": "#D97706"}
STATUS_LABELS = {"added": "added", "removed": "removed", "changed": "changed"}

RELATIONSHIP_COLOURS = {
    "contains": "#94A3B8",
    "attached_to": "#64748B",
    "secured_by": "#DC2626",
    "routes_to": "#D97706",
    "targets": "#2563EB",
    "peers_with": "#059669",
    "depends_on": "#0891B2",
    "uses": "#7C3AED",
}
# Dash patterns tell relationship types apart in grey-scale prints too.
RELATIONSHIP_DASHES = {
    "secured_by": "2 3",
    "peers_with": "7 4",
    "contains": "1 3",
}


@dataclass(frozen=True, slots=True)
class LevelStyle:
    fill: str
    stroke: str
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Theme:
    """The colours of one theme."""

    name: str
    background: str
    text: str
    muted: str
    node_fill: str
    node_stroke: str
    edge: str
    levels: dict[str, LevelStyle]


LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1F2937",
    muted="#6B7280",
    node_fill="#FFFFFF",
    node_stroke="#CBD5E1",
    edge="#64748B",
    levels={
        "provider": LevelStyle("#FAFAFA", "#9CA3AF"),
        "account": LevelStyle("#FFFFFF", "#9CA3AF", dashed=True),
        "resource_group": LevelStyle("#FFFBEB", "#D97706", dashed=True),
        "region": LevelStyle("#F1F5F9", "#CBD5E1"),
        "network": LevelStyle("#ECFDF5", "#34D399"),
        "subnet": LevelStyle("#EFF6FF", "#93C5FD"),
        "container": LevelStyle("#F5F3FF", "#A78BFA"),
        "page": LevelStyle("#FEF2F2", "#F87171", dashed=True),
    },
)
DARK = Theme(
    name="dark",
    background="#0B1120",
    text="#E2E8F0",
    muted="#94A3B8",
    node_fill="#1E293B",
    node_stroke="#334155",
    edge="#94A3B8",
    levels={
        "provider": LevelStyle("#111827", "#4B5563"),
        "account": LevelStyle("#0F172A", "#475569", dashed=True),
        "resource_group": LevelStyle("#1C1608", "#B45309", dashed=True),
        "region": LevelStyle("#131C2E", "#334155"),
        "network": LevelStyle("#06251D", "#059669"),
        "subnet": LevelStyle("#0A1F3D", "#2563EB"),
        "container": LevelStyle("#1B1535", "#7C3AED"),
        "page": LevelStyle("#2A1215", "#B91C1C", dashed=True),
    },
)
THEMES = {"light": LIGHT, "dark": DARK}


def theme_named(name: str) -> Theme:
    return THEMES.get(name, LIGHT)


def provider_colour(provider: str | None) -> str:
    return PROVIDER_COLOURS.get(provider or "other", PROVIDER_COLOURS["other"])


# One glyph per kind, drawn in a 24×24 box with the fill inherited from the
# element that uses it. Shapes are deliberately plain: they must read at 20px.
_CYLINDER = (
    '<ellipse cx="12" cy="5" rx="8" ry="3"/>'
    '<path d="M4 7c0 1.7 3.6 3 8 3s8-1.3 8-3v3c0 1.7-3.6 3-8 3s-8-1.3-8-3z"/>'
    '<path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3v7c0 1.7-3.6 3-8 3s-8-1.3-8-3z"/>'
)
GLYPHS: dict[str, str] = {
    "network.vpc": (
        '<path d="M6.5 19a4.5 4.5 0 0 1-.6-9A6 6 0 0 1 17.4 8.3 5.4 5.4 0 0 1 '
        '17.5 19z"/>'
    ),
    "network.subnet": (
        '<path d="M3 3h8v8H3zM13 3h8v8h-8zM3 13h8v8H3zM13 13h8v8h-8z"/>'
    ),
    "network.nic": (
        '<path d="M3 7h18v10H3z"/><path d="M6 17h2v3H6zM10 17h2v3h-2zM14 17h2v3h-2z"/>'
    ),
    "network.security_group": (
        '<path d="M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5z"/>'
    ),
    "network.load_balancer": (
        '<circle cx="12" cy="5" r="3"/><circle cx="4" cy="19" r="3"/>'
        '<circle cx="12" cy="19" r="3"/><circle cx="20" cy="19" r="3"/>'
        '<path d="M11 7h2v10h-2zM11.3 7.6l1.4 1.4-7.6 8.6-1.4-1.4zM12.7 7.6l7.6 '
        '8.6-1.4 1.4L11.3 9z"/>'
    ),
    "network.gateway": ('<path d="M3 21V9l9-6 9 6v12h-6v-7H9v7z"/>'),
    "network.public_ip": (
        '<path fill-rule="evenodd" d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 '
        '2a8 8 0 1 0 0 16 8 8 0 0 0 0-16z"/><path d="M11 3h2v18h-2zM3 11h18v2H3z"/>'
    ),
    "network.dns": (
        '<path d="M11 2h2v20h-2z"/><path d="M4 4h12l3 3-3 3H4zM20 12H8l-3 3 3 3h12z"/>'
    ),
    "network.cdn": (
        '<circle cx="12" cy="12" r="4"/><circle cx="4" cy="4" r="2.5"/>'
        '<circle cx="20" cy="4" r="2.5"/><circle cx="4" cy="20" r="2.5"/>'
        '<circle cx="20" cy="20" r="2.5"/>'
        '<path d="M5 3.6L13 11l-1.4 1.4L3.6 5zM19 3.6l1.4 1.4-8 7.4L11 11zM5 20.4'
        'L3.6 19l8-7.4L13 13zM19 20.4L11 13l1.4-1.4 8 7.4z"/>'
    ),
    "compute.vm": (
        '<path fill-rule="evenodd" d="M2 4h20v13H2zm2 2v9h16V6z"/>'
        '<path d="M8 19h8v2H8z"/><path d="M7 8h10v5H7z"/>'
    ),
    "compute.scale_set": (
        '<path d="M8 2h14v11h-2V4H8z"/><path d="M5 5h14v11h-2V7H5z"/>'
        '<path d="M2 8h14v12H2z"/>'
    ),
    "compute.function": ('<path d="M5 3h5l7 15h3v3h-5l-4-9-4 9H4l5.5-11.5L8.8 6H5z"/>'),
    "container.cluster": ('<path d="M12 2l9 5v10l-9 5-9-5V7z"/>'),
    "container.service": (
        '<path d="M12 2l9 4.5-9 4.5-9-4.5z"/><path d="M3 8l8 4v10l-8-4z"/>'
        '<path d="M21 8v10l-8 4V12z"/>'
    ),
    "storage.bucket": (
        '<path d="M3 5h18l-2.5 15.5c-.2 1-3 1.5-6.5 1.5s-6.3-.5-6.5-1.5z"/>'
    ),
    "storage.disk": (
        '<path fill-rule="evenodd" d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 '
        '7a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"/>'
    ),
    "database.sql": _CYLINDER,
    "database.nosql": _CYLINDER + '<circle cx="12" cy="17" r="1.5" fill="#fff"/>',
    "database.cache": ('<path d="M14 2L4 14h7l-2 8 10-12h-7z"/>'),
    "messaging.queue": (
        '<path d="M2 5h16v4H2zM2 10h16v4H2zM2 15h16v4H2z"/><path d="M19 8l3 4-3 4z"/>'
    ),
    "messaging.topic": (
        '<circle cx="12" cy="12" r="3"/><path fill-rule="evenodd" d="M12 4a8 8 0 '
        '0 1 8 8h-2a6 6 0 0 0-12 0H4a8 8 0 0 1 8-8z"/><path d="M11 14h2v8h-2z"/>'
    ),
    "security.identity": (
        '<circle cx="12" cy="7" r="5"/><path d="M3 22c0-5 4-8 9-8s9 3 9 8z"/>'
    ),
    "security.key_vault": (
        '<path fill-rule="evenodd" d="M8 3a6 6 0 1 1 0 12A6 6 0 0 1 8 3zm0 4a2 2 0 '
        '1 0 0 4 2 2 0 0 0 0-4z"/><path d="M12 10h10v4h-2v3h-3v-3h-5z"/>'
    ),
    "management.group": ('<path d="M2 5h8l2 2h10v13H2z"/>'),
    "page": (
        '<path fill-rule="evenodd" d="M5 2h10l5 5v15H5zm2 2v16h11V8h-4V4z"/>'
        '<path d="M9 11h7v2H9zM9 15h7v2H9z"/>'
    ),
    "other": ('<path d="M4 4h16v16H4z"/>'),
}


def glyph_key(kind: str) -> str:
    """The glyph to draw for `kind` (kinds without one of their own: `other`)."""
    return kind if kind in GLYPHS else "other"


def glyph_id(kind: str) -> str:
    """An element id for the glyph of `kind`, safe in XML and CSS."""
    return "k-" + glyph_key(kind).replace(".", "-").replace("_", "-")


# -- the legend every graphical writer draws under the title ---------------

LEGEND_CHAR_WIDTH = 6.6  # average width of an 11px legend character
LEGEND_SWATCH = 26  # swatch plus the space before the text
LEGEND_SPACING = 18  # between two entries


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One legend item: `what` is provider, relationship or status."""

    what: str
    key: str
    label: str
    colour: str

    @property
    def width(self) -> float:
        return LEGEND_SWATCH + len(self.label) * LEGEND_CHAR_WIDTH


def legend_entries(diagram: Diagram) -> list[LegendEntry]:
    """Providers and relationship types present, and diff statuses."""
    providers = {node.provider for node in diagram.nodes}
    providers.update(g.provider for g in diagram.groups if g.provider)
    entries = [
        LegendEntry("provider", name, PROVIDER_NAMES[name], PROVIDER_COLOURS[name])
        for name in PROVIDER_COLOURS
        if name in providers
    ]
    types = {edge.type for edge in diagram.edges}
    entries += [
        LegendEntry("relationship", name, name.replace("_", " "), colour)
        for name, colour in RELATIONSHIP_COLOURS.items()
        if name in types
    ]
    if diagram.diff:
        entries += [
            LegendEntry("status", name, STATUS_LABELS[name], colour)
            for name, colour in STATUS_COLOURS.items()
        ]
    return entries


def legend_width(entries: list[LegendEntry]) -> float:
    return sum(entry.width + LEGEND_SPACING for entry in entries)
