"""Live discovery: one entry point over the AWS, Azure and GCP collectors.

A collector module provides two functions:

- `extract(request, settings, progress) -> Inventory`: everything it could read,
  with what it could not read in `errors` (CV004 and the remedy) and, in
  `source_detail`, at least `api_calls` (int) and `duration_seconds` (float).
  It raises `ProviderError` (CV004) only when it can read nothing at all, for
  example when there are no usable credentials.
- `check_access(request, settings) -> AccessReport`: the credentials and each
  permission extraction needs, for `cloudviz provider test`.

The SDKs are imported inside the collector modules, so `cloudviz` runs
without them until a provider is actually used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from cloudviz.config import Settings
from cloudviz.errors import ConfigurationError, ValidationError
from cloudviz.inventory.filters import ResourceFilter
from cloudviz.inventory.model import Inventory
from cloudviz.progress import NULL_PROGRESS, Progress

PROVIDERS = ("aws", "azure", "gcp")

_COLLECTORS = {
    "aws": ("cloudviz.sources.aws", "boto3", "aws"),
    "azure": ("cloudviz.sources.azure", "azure.mgmt.resourcegraph", "azure"),
    "gcp": ("cloudviz.sources.gcp", "google.cloud.asset_v1", "gcp"),
}


@dataclass(frozen=True, slots=True)
class ExtractRequest:
    """What to discover and where; empty tuples mean "everything visible"."""

    provider: str
    regions: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    role_arns: tuple[str, ...] = ()
    subscriptions: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    scope: str | None = None
    filter: ResourceFilter = field(default_factory=ResourceFilter)
    name: str | None = None

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {"provider": self.provider}
        for key in ("regions", "profiles", "role_arns", "subscriptions", "projects"):
            if getattr(self, key):
                described[key] = list(getattr(self, key))
        if self.scope:
            described["scope"] = self.scope
        return described


@dataclass(slots=True)
class AccessCheck:
    """One thing extraction needs: a credential, a permission, an API."""

    name: str
    ok: bool
    detail: str = ""
    remedy: str = ""


@dataclass(slots=True)
class AccessReport:
    provider: str
    identity: str | None = None
    checks: list[AccessCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "identity": self.identity,
            "ok": self.ok,
            "checks": [
                {"name": c.name, "ok": c.ok, "detail": c.detail, "remedy": c.remedy}
                for c in self.checks
            ],
        }


class Collector(Protocol):
    def extract(
        self, request: ExtractRequest, settings: Settings, progress: Progress
    ) -> Inventory: ...

    def check_access(
        self, request: ExtractRequest, settings: Settings
    ) -> AccessReport: ...


def collector_for(provider: str) -> Collector:
    """The collector module of a provider, with a clear error if unusable."""
    if provider not in _COLLECTORS:
        raise ValidationError(
            f"unknown provider {provider!r}", hint="use one of: aws, azure, gcp"
        )
    module_name, sdk_module, extra = _COLLECTORS[provider]
    try:
        importlib.import_module(sdk_module)
    except ImportError:
        raise ConfigurationError(
            f"the {provider} SDK is not installed",
            hint=f'install it with: pip install "cloudviz[{extra}]"',
        ) from None
    return cast(Collector, importlib.import_module(module_name))


def extract_inventory(
    request: ExtractRequest,
    settings: Settings,
    progress: Progress = NULL_PROGRESS,
) -> Inventory:
    """Discover one provider's estate; the same call for the CLI, API and jobs."""
    return collector_for(request.provider).extract(request, settings, progress)


def check_provider_access(request: ExtractRequest, settings: Settings) -> AccessReport:
    return collector_for(request.provider).check_access(request, settings)
