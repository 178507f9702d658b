"""Azure: live discovery through Azure Resource Graph.

The package is the collector `cloudviz.sources.live` dispatches to: it
provides `extract` and `check_access`. The Azure SDK is imported only when
they are called, so the importers that share the row transform
(`cloudviz.sources.azure.transform`) work without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cloudviz.config import Settings
    from cloudviz.inventory.model import Inventory
    from cloudviz.progress import Progress
    from cloudviz.sources.live import AccessReport, ExtractRequest


def extract(
    request: ExtractRequest, settings: Settings, progress: Progress
) -> Inventory:
    """Every resource of the visible (or requested) subscriptions."""
    from cloudviz.sources.azure.collector import extract_azure_inventory

    return extract_azure_inventory(request, settings, progress)


def check_access(request: ExtractRequest, settings: Settings) -> AccessReport:
    """The credential, the visible subscriptions and Resource Graph per one."""
    from cloudviz.sources.azure.collector import check_azure_access

    return check_azure_access(request, settings)


__all__ = ["check_access", "extract"]
