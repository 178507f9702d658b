"""GCP: live discovery through Cloud Asset Inventory, and the shared transform.

The package is the collector `cloudviz.sources.live` dispatches to: it
provides `extract` and `check_access`. The SDK (`google-cloud-asset`) is
imported only when one of them runs, so the importer of gcloud exports, which
uses `cloudviz.sources.gcp.transform`, works without it.
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
    """Discover a project, folder or organization; see `collector`."""
    from cloudviz.sources.gcp.collector import extract_gcp_inventory

    return extract_gcp_inventory(request, settings, progress)


def check_access(request: ExtractRequest, settings: Settings) -> AccessReport:
    """Check credentials, scopes and the Cloud Asset API; see `access`."""
    from cloudviz.sources.gcp.access import check_gcp_access

    return check_gcp_access(request, settings)
