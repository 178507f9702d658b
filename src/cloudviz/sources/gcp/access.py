"""`cloudviz provider test gcp`: what extraction needs, checked one by one.

Credentials first (Application Default Credentials), then for each scope one
`ListAssets` call of a single asset: it proves both that the Cloud Asset API
is enabled and that the account may read the scope.
"""

from __future__ import annotations

from typing import Any

from google.api_core import exceptions as api_exceptions
from google.auth import exceptions as auth_exceptions
from google.cloud import asset_v1

from cloudviz.config import Settings
from cloudviz.errors import CloudVizError
from cloudviz.sources.gcp.client import (
    CREDENTIALS_REMEDY,
    QUOTA_PROJECT_HINT,
    SET_QUOTA_PROJECT,
    ThrottleRetry,
    api_message,
    asset_client,
    describe_failure,
    enable_api_command,
    grant_command,
    identity_of,
    is_api_disabled,
    load_credentials,
)
from cloudviz.sources.gcp.collector import CALL_TIMEOUT_SECONDS, discovery_scopes
from cloudviz.sources.live import AccessCheck, AccessReport, ExtractRequest

PROBE_ASSET_TYPE = "cloudresourcemanager.googleapis.com/Project"


def check_gcp_access(request: ExtractRequest, settings: Settings) -> AccessReport:
    """Credentials, and for each scope: API enabled, assets readable."""
    report = AccessReport(provider="gcp")
    try:
        credentials, default_project = load_credentials()
    except CloudVizError as error:
        report.checks.append(
            AccessCheck("credentials", False, error.message, error.hint or "")
        )
        return report
    report.identity = identity_of(credentials) or "application default credentials"
    report.checks.append(AccessCheck("credentials", True, "found"))

    try:
        scopes = discovery_scopes(request, settings, default_project)
    except CloudVizError as error:
        report.checks.append(
            AccessCheck("scope", False, error.message, error.hint or "")
        )
        return report
    client = asset_client(credentials, settings)
    for scope in scopes:
        report.checks.extend(_probe(client, scope))
    return report


def _probe(client: Any, scope: str) -> list[AccessCheck]:
    api = f"cloudasset.googleapis.com enabled for {scope}"
    read = f"read assets in {scope} (roles/cloudasset.viewer)"
    request = asset_v1.ListAssetsRequest(
        parent=scope, asset_types=[PROBE_ASSET_TYPE], page_size=1
    )
    try:
        pager = client.list_assets(
            request=request,
            retry=ThrottleRetry(attempts=3),
            timeout=CALL_TIMEOUT_SECONDS,
        )
        next(iter(pager.pages), None)
    except api_exceptions.Forbidden as exc:
        if QUOTA_PROJECT_HINT in api_message(exc):
            return [AccessCheck(api, False, "no quota project", SET_QUOTA_PROJECT)]
        if is_api_disabled(exc):
            enable = enable_api_command(exc, scope)
            return [
                AccessCheck(api, False, "SERVICE_DISABLED", enable),
                AccessCheck(read, False, "not checked: the API is disabled", enable),
            ]
        return [
            AccessCheck(api, True),
            AccessCheck(read, False, "PERMISSION_DENIED", grant_command(scope)),
        ]
    except api_exceptions.GoogleAPICallError as exc:
        failure = describe_failure(exc, scope)
        return [AccessCheck(read, False, failure, grant_command(scope))]
    except auth_exceptions.GoogleAuthError as exc:
        return [AccessCheck("credentials usable", False, str(exc), CREDENTIALS_REMEDY)]
    return [AccessCheck(api, True), AccessCheck(read, True)]
