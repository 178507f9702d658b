"""What each part a running server depends on reports about itself.

`check_components` asks every component at once (concurrently, each with its
own deadline) and returns a `HealthReport`. The overall status is
`unhealthy` when the database is down (nothing useful works without it),
`degraded` when an accelerator or optional tool is down (the cache, the job
runner, Graphviz) and `healthy` otherwise. Cloud providers are reported for
information only: a server with no AWS credentials is not ill.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cloudviz.cache import Cache
from cloudviz.config import Settings

HEALTHY = "healthy"
DEGRADED = "degraded"
UNHEALTHY = "unhealthy"
CHECK_TIMEOUT_SECONDS = 3.0


@dataclass(slots=True)
class ComponentHealth:
    status: str
    latency_ms: float = 0.0
    detail: str = ""
    cv_code: str | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "latency_ms": round(self.latency_ms, 2),
        }
        if self.detail:
            data["detail"] = self.detail
        if self.cv_code:
            data["cv_code"] = self.cv_code
        data.update(self.info)
        return data


@dataclass(slots=True)
class HealthReport:
    status: str
    components: dict[str, ComponentHealth]

    @property
    def database_down(self) -> bool:
        database = self.components.get("database")
        return database is not None and database.status == UNHEALTHY

    def components_dict(self) -> dict[str, dict[str, Any]]:
        return {name: c.to_dict() for name, c in self.components.items()}


Check = Callable[[], Awaitable[ComponentHealth]]


async def _timed(name: str, check: Check) -> tuple[str, ComponentHealth]:
    started = time.perf_counter()
    try:
        result = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        result = ComponentHealth(
            UNHEALTHY if name == "database" else DEGRADED,
            detail=f"no answer within {CHECK_TIMEOUT_SECONDS:g} s",
            cv_code="CV005" if name == "database" else None,
        )
    if not result.latency_ms:
        result.latency_ms = (time.perf_counter() - started) * 1000
    return name, result


async def check_components(checks: Mapping[str, Check]) -> HealthReport:
    """Run every check concurrently and combine them into one report."""
    results = dict(
        await asyncio.gather(*(_timed(name, check) for name, check in checks.items()))
    )
    statuses = {component.status for component in results.values()}
    if UNHEALTHY in statuses:
        overall = UNHEALTHY
    elif DEGRADED in statuses:
        overall = DEGRADED
    else:
        overall = HEALTHY
    return HealthReport(overall, results)


def database_check(ping: Callable[[], None], dialect: str) -> Check:
    """The database answers `SELECT 1` (run off the event loop)."""

    async def check() -> ComponentHealth:
        try:
            await asyncio.to_thread(ping)
        except Exception as error:
            message = getattr(error, "message", None) or str(error)
            return ComponentHealth(
                UNHEALTHY, detail=message, cv_code="CV005", info={"dialect": dialect}
            )
        return ComponentHealth(HEALTHY, info={"dialect": dialect})

    return check


def cache_check(cache: Cache) -> Check:
    """Redis answers PING; the memory cache always does."""

    async def check() -> ComponentHealth:
        health = await cache.health()
        info = {"backend": health.backend}
        if health.ok:
            return ComponentHealth(HEALTHY, detail=health.detail, info=info)
        return ComponentHealth(
            DEGRADED,
            detail=f"Redis unreachable ({health.detail}); serving without it",
            cv_code="CV006",
            info=info,
        )

    return check


def job_runner_check(describe: Callable[[], Mapping[str, Any]]) -> Check:
    """The job runner answers; `describe` returns its state (with `status`)."""

    async def check() -> ComponentHealth:
        try:
            info = dict(await asyncio.to_thread(describe))
        except Exception as error:
            return ComponentHealth(DEGRADED, detail=str(error))
        healthy = info.pop("status", HEALTHY) == HEALTHY
        detail = str(info.pop("error", ""))
        status = HEALTHY if healthy else DEGRADED
        return ComponentHealth(status, detail=detail, info=info)

    return check


_PROVIDER_SDKS = {
    "aws": "boto3",
    "azure": "azure.mgmt.resourcegraph",
    "gcp": "google.cloud.asset_v1",
}


@functools.cache
def _sdk_installed(module: str) -> bool:
    # Finding a submodule imports its parents: slow once, so asked once.
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def providers_check(settings: Settings) -> Check:
    """Which provider SDKs are installed and which providers are configured."""

    async def check() -> ComponentHealth:
        aws, azure, gcp = (
            settings.providers.aws,
            settings.providers.azure,
            settings.providers.gcp,
        )
        configured = {
            "aws": bool(aws.regions or aws.profiles or aws.role_arns),
            "azure": bool(azure.subscriptions),
            "gcp": bool(gcp.projects or gcp.scope),
        }
        providers = {
            name: {"sdk_installed": _sdk_installed(sdk), "configured": configured[name]}
            for name, sdk in _PROVIDER_SDKS.items()
        }
        return ComponentHealth(HEALTHY, info={"providers": providers})

    return check


@functools.cache
def graphviz_version() -> str | None:
    """`dot -V` of the installed Graphviz, or None (asked once per process)."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    try:
        completed = subprocess.run(
            [dot, "-V"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return completed.stderr.strip() or completed.stdout.strip() or "unknown"


def graphviz_check() -> Check:
    """Graphviz `dot` is on the PATH (the graphviz layout engine needs it)."""

    async def check() -> ComponentHealth:
        version = await asyncio.to_thread(graphviz_version)
        if version is None:
            return ComponentHealth(
                DEGRADED,
                detail="Graphviz `dot` not found; install the graphviz package",
                cv_code="CV007",
            )
        return ComponentHealth(HEALTHY, info={"version": version})

    return check
