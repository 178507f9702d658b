"""Live discovery of AWS accounts with boto3, and the AWS type table.

The package is the AWS collector of `cloudviz.sources.live`: `extract` and
`check_access` below. boto3 is imported only when they are called, so the
AWS Config importer can use `cloudviz.sources.aws.kinds` without it.
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
    """Discover every account and region the request names (see collector)."""
    from cloudviz.sources.aws.collector import extract_aws_inventory

    return extract_aws_inventory(request, settings.providers.aws, progress)


def check_access(request: ExtractRequest, settings: Settings) -> AccessReport:
    """Check the credentials and one cheap call per permission extraction needs."""
    from cloudviz.sources.aws.access import check_aws_access

    return check_aws_access(request, settings.providers.aws)
