"""Azure SDK failures, translated once into what a user should do.

Two kinds of failure matter. Some stop discovery: no usable credential
(`ClientAuthenticationError`), an endpoint that cannot be reached. Those
become a `ProviderError` (CV004) or a `NetworkError` (CV008) with the exact
remedy. Others concern one subscription (a 403, a token from another
tenant, throttling that outlasted its retries): they become an entry in the
inventory's `errors` and discovery goes on.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
)

from cloudviz.errors import NetworkError, ProviderError

log = logging.getLogger(__name__)

TEST_COMMAND = "cloudviz provider test azure"
SUBSCRIPTION_PLACEHOLDER = "/subscriptions/$AZURE_SUBSCRIPTION_ID"
LOGIN_COMMAND = (
    "az login --service-principal -u $AZURE_CLIENT_ID -p $AZURE_CLIENT_SECRET "
    "--tenant $AZURE_TENANT_ID"
)
_ACTION = re.compile(r"perform action '([^']+)'", re.IGNORECASE)
SUBSCRIPTIONS_READ = "microsoft.resources/subscriptions/read"


def reader_command(scope: str) -> str:
    """The exact command that grants the Reader role at `scope`."""
    return (
        'az role assignment create --assignee $AZURE_CLIENT_ID --role "Reader" '
        f'--scope "{scope}"'
    )


def subscription_scope(subscription: str) -> str:
    return f"/subscriptions/{subscription}"


@dataclass(frozen=True, slots=True)
class Explained:
    """A failure in a user's terms: what happened and how to fix it."""

    message: str
    remedy: str

    def __str__(self) -> str:
        return f"{self.message}; fix: {self.remedy}"


def error_code(exc: HttpResponseError) -> str:
    """ARM's error code (`AuthorizationFailed`), or the HTTP status."""
    code = getattr(exc.error, "code", None) if exc.error is not None else None
    if code:
        return str(code)
    status = exc.status_code
    return f"HTTP {status}" if status else type(exc).__name__


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "message", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_credential_failure(exc: ClientAuthenticationError) -> bool:
    """True when no token could be had at all (not a 401 from ARM)."""
    return exc.response is None


def is_wrong_tenant(exc: HttpResponseError) -> bool:
    return error_code(exc) == "InvalidAuthenticationTokenTenant"


def explain(exc: HttpResponseError, scope: str) -> Explained:
    """What failed at `scope` (a subscription or the tenant) and the remedy."""
    code = error_code(exc)
    detail = _first_line(exc)
    grant_scope = (
        scope if scope.startswith("/") else "/subscriptions/$AZURE_SUBSCRIPTION_ID"
    )
    if is_wrong_tenant(exc):
        return Explained(
            f"InvalidAuthenticationTokenTenant: the access token is from the wrong "
            f"issuer for {scope}",
            "verify the tenant ID: sign in to the subscription's tenant "
            "(AZURE_TENANT_ID, or az login --tenant TENANT_ID; "
            f"az account show --subscription SUBSCRIPTION --query tenantId), then "
            f"run {TEST_COMMAND}",
        )
    if exc.status_code == 403 or code in ("AuthorizationFailed", "Forbidden"):
        action = _ACTION.search(detail)
        needs = f" ({action.group(1)})" if action else ""
        what = (
            "read subscriptions"
            if action and (action.group(1).lower() == SUBSCRIPTIONS_READ)
            else "query Resource Graph"
        )
        return Explained(
            f"{code}: not allowed to {what} at {scope}{needs}",
            f"grant the Reader role at that scope: {reader_command(grant_scope)}",
        )
    if exc.status_code == 429:
        return Explained(
            f"{code}: Resource Graph throttled the queries at {scope} and the "
            "retries ran out",
            "run again later, or read fewer subscriptions at once with --subscription",
        )
    return Explained(
        f"{code}: {detail}",
        f"check the query and the subscription, then run {TEST_COMMAND}",
    )


def credential_error(exc: ClientAuthenticationError) -> ProviderError:
    """No usable Azure credential: CV004 with the sign-in remedy."""
    log.debug("azure.credential_failure detail=%s", getattr(exc, "message", exc))
    return ProviderError(
        f"ClientAuthenticationError: no usable Azure credentials ({_first_line(exc)})",
        hint=(
            f"sign in with `az login` or `{LOGIN_COMMAND}`, or set AZURE_CLIENT_ID, "
            "AZURE_CLIENT_SECRET and AZURE_TENANT_ID, or run on a managed identity; "
            f"grant it Reader: {reader_command(SUBSCRIPTION_PLACEHOLDER)}; "
            f"then check with `{TEST_COMMAND}`"
        ),
    )


def failure_error(exc: HttpResponseError, scope: str) -> ProviderError:
    """A failure that stops discovery, as CV004 with its remedy."""
    explained = explain(exc, scope)
    return ProviderError(explained.message, hint=explained.remedy)


def unreachable_error(exc: ServiceRequestError, endpoint: str) -> NetworkError:
    return NetworkError(
        f"cannot reach Azure Resource Manager at {endpoint} ({_first_line(exc)})",
        hint="check the network, proxy settings (HTTPS_PROXY) and "
        "providers.azure.endpoint",
    )
