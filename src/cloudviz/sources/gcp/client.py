"""The Cloud Asset client and everything at its edge: credentials, retries,
and the translation of google-auth and google-api-core failures.

Credentials are Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`,
`gcloud auth application-default login`, or the metadata server on Google
Cloud). The client speaks REST to `providers.gcp.endpoint`, which may carry a
scheme (`http://127.0.0.1:8085` for a local fake, a private endpoint).
"""

from __future__ import annotations

import functools
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import google.auth
from google.api_core import exceptions as api_exceptions
from google.api_core.client_options import ClientOptions
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import Credentials
from google.cloud import asset_v1

from cloudviz.config import Settings
from cloudviz.errors import ProviderError

log = logging.getLogger(__name__)

CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"

CREDENTIALS_REMEDY = (
    "create a service account key (gcloud iam service-accounts keys create "
    "cloudviz-key.json --iam-account=cloudviz@$PROJECT_ID.iam.gserviceaccount.com), "
    "then export GOOGLE_APPLICATION_CREDENTIALS=/path/to/cloudviz-key.json, or run "
    "gcloud auth application-default login; check with: cloudviz provider test gcp"
)

# User credentials from `gcloud auth application-default login` carry no
# project to bill Cloud Asset calls to until one is set.
QUOTA_PROJECT_HINT = "quota project"
SET_QUOTA_PROJECT = (
    "set one where cloudasset.googleapis.com is enabled: "
    "gcloud auth application-default set-quota-project PROJECT_ID"
)

T = TypeVar("T")


def load_credentials() -> tuple[Credentials, str | None]:
    """Application Default Credentials and their project, or CV004 with the fix."""
    try:
        credentials, project = google.auth.default(scopes=[CLOUD_PLATFORM])
    except auth_exceptions.DefaultCredentialsError as exc:
        raise ProviderError(
            f"google.auth.exceptions.DefaultCredentialsError: {exc}",
            hint=CREDENTIALS_REMEDY,
        ) from None
    return credentials, project


def identity_of(credentials: Credentials) -> str | None:
    """The account the credentials act as, when they say."""
    email = getattr(credentials, "service_account_email", None)
    return email if isinstance(email, str) and "@" in email else None


def asset_client(credentials: Credentials, settings: Settings) -> Any:
    """An `AssetServiceClient` over REST at the configured endpoint."""
    return asset_v1.AssetServiceClient(
        credentials=credentials,
        transport="rest",
        client_options=ClientOptions(api_endpoint=settings.providers.gcp.endpoint),
    )


@dataclass(slots=True)
class ThrottleRetry:
    """A google-api-core retry decorator that honours `Retry-After`.

    Makes up to `attempts` calls when the answer is 429 (quota) or 503
    (unavailable), waiting what the server asks for in `Retry-After`, else an
    exponential back-off with jitter (2, 4, 8, 16 s, ...: about a minute in
    all, the window Cloud Asset's per-minute quotas refill in), never longer
    than `max_delay`. It counts every HTTP attempt, so `calls` is the number
    of API calls made.
    """

    attempts: int = 6
    base_delay: float = 2.0
    max_delay: float = 30.0
    calls: int = 0
    retries: int = 0

    def __call__(self, func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def with_retries(*args: Any, **kwargs: Any) -> T:
            for attempt in range(1, self.attempts + 1):
                self.calls += 1
                try:
                    return func(*args, **kwargs)
                except (
                    api_exceptions.TooManyRequests,
                    api_exceptions.ServiceUnavailable,
                ) as exc:
                    if attempt == self.attempts:
                        raise
                    delay = self._delay(exc, attempt)
                    self.retries += 1
                    log.warning(
                        "gcp.retry status=%s attempt=%s wait_seconds=%.1f",
                        exc.code,
                        attempt,
                        delay,
                    )
                    time.sleep(delay)
            raise AssertionError("unreachable: the last attempt returns or raises")

        return with_retries

    def _delay(self, exc: api_exceptions.GoogleAPICallError, attempt: int) -> float:
        asked = retry_after_seconds(exc)
        if asked is None:
            # Jitter keeps parallel streams from retrying in step.
            asked = self.base_delay * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
        return max(0.0, min(asked, self.max_delay))


def retry_after_seconds(exc: api_exceptions.GoogleAPICallError) -> float | None:
    """The wait a `Retry-After` header asks for (seconds or an HTTP date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("Retry-After")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


def scope_project(scope: str) -> str | None:
    return scope.split("/", 1)[1] if scope.startswith("projects/") else None


def is_api_disabled(exc: api_exceptions.GoogleAPICallError) -> bool:
    text = api_message(exc)
    return exc.reason == "SERVICE_DISABLED" or (
        "has not been used" in text or "it is disabled" in text
    )


def api_message(exc: api_exceptions.GoogleAPICallError) -> str:
    """The API's own error message, without the method and URL the REST
    transport puts in front of it."""
    response = getattr(exc, "response", None)
    try:
        message = response.json()["error"]["message"]  # type: ignore[union-attr]
    except (AttributeError, KeyError, TypeError, ValueError):  # no usable body
        return str(exc.message)
    return message if isinstance(message, str) else str(exc.message)


def enable_api_command(exc: api_exceptions.GoogleAPICallError, scope: str) -> str:
    """`gcloud services enable` for the project the API is billed to.

    That is the caller's project (named in the error), which need not be the
    project being read.
    """
    consumer = str((exc.metadata or {}).get("consumer", ""))
    project = consumer.removeprefix("projects/") or None
    if project is None:
        named = re.search(r"\bproject (\S+?) (?:before|is)", api_message(exc))
        project = named.group(1) if named else scope_project(scope)
    where = f" --project {project}" if project else ""
    return f"gcloud services enable cloudasset.googleapis.com{where}"


def grant_command(scope: str) -> str:
    """`gcloud ... add-iam-policy-binding` granting the viewer role on a scope."""
    kind, _, ident = scope.partition("/")
    command = {"projects": "projects", "folders": "resource-manager folders"}.get(
        kind, "organizations"
    )
    return (
        f"gcloud {command} add-iam-policy-binding {ident} "
        "--member=serviceAccount:EMAIL --role=roles/cloudasset.viewer"
    )


def describe_failure(exc: api_exceptions.GoogleAPICallError, scope: str) -> str:
    """What failed on one scope and what to do about it, in one line."""
    message = api_message(exc)
    if isinstance(exc, api_exceptions.Forbidden) and QUOTA_PROJECT_HINT in message:
        return f"no quota project for {scope} ({message}); {SET_QUOTA_PROJECT}"
    if isinstance(exc, api_exceptions.Forbidden) and is_api_disabled(exc):
        return (
            f"SERVICE_DISABLED: the Cloud Asset API is not enabled ({message}); "
            f"enable it: {enable_api_command(exc, scope)}"
        )
    if isinstance(exc, api_exceptions.Unauthorized):
        return f"UNAUTHENTICATED on {scope} ({message}); {CREDENTIALS_REMEDY}"
    if isinstance(exc, api_exceptions.Forbidden):
        return (
            f"PERMISSION_DENIED on {scope} ({message}); grant the reading "
            f"account roles/cloudasset.viewer on {scope}: {grant_command(scope)}"
        )
    if isinstance(
        exc, api_exceptions.TooManyRequests | api_exceptions.ServiceUnavailable
    ):
        return (
            f"{exc.code} still throttled after retries on {scope} ({message}); "
            "run again later or raise the Cloud Asset API quota"
        )
    if isinstance(exc, api_exceptions.NotFound):
        return f"{scope} not found ({message}); check the project id or number"
    return f"{exc.code} on {scope}: {message}"


def refresh_failure(exc: auth_exceptions.GoogleAuthError) -> ProviderError:
    """Credentials that exist but cannot get a token (revoked key, bad file)."""
    return ProviderError(
        f"google.auth.exceptions.RefreshError: {exc}", hint=CREDENTIALS_REMEDY
    )
