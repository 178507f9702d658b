"""Health endpoints: liveness, the detailed report and the component list."""

from __future__ import annotations

import os
import platform
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from cloudviz import __version__
from cloudviz.api.errors import error_responses, request_id_of
from cloudviz.api.state import ServerState
from cloudviz.health import (
    HealthReport,
    cache_check,
    check_components,
    graphviz_check,
    providers_check,
)

router = APIRouter(tags=["health"])


class Liveness(BaseModel):
    status: str = Field(examples=["ok"])
    version: str


class ComponentStatus(BaseModel):
    status: str = Field(description="healthy, degraded or unhealthy")
    latency_ms: float
    detail: str | None = None
    cv_code: str | None = None

    model_config = {"extra": "allow"}


class DetailedHealth(BaseModel):
    status: str = Field(description="healthy, degraded or unhealthy")
    version: str
    uptime_seconds: float
    components: dict[str, ComponentStatus]
    system: dict[str, Any]


def component_checks(request: Request) -> dict[str, Any]:
    state: ServerState = request.app.state.server
    checks = dict(request.app.state.health_checks)
    checks["cache"] = cache_check(state.cache)
    checks["providers"] = providers_check(state.settings)
    checks["graphviz"] = graphviz_check()
    return checks


def report_response(
    request: Request, report: HealthReport, body: dict[str, Any]
) -> JSONResponse:
    """200 while the database answers; 503 with CV005 in the envelope if not."""
    if not report.database_down:
        return JSONResponse(body)
    database = report.components["database"]
    body.update(
        error=f"database unavailable: {database.detail}",
        code=503,
        cv_code="CV005",
        request_id=request_id_of(request),
    )
    return JSONResponse(body, status_code=503)


async def detailed_body(request: Request) -> tuple[HealthReport, dict[str, Any]]:
    state: ServerState = request.app.state.server
    report = await check_components(component_checks(request))
    body = {
        "status": report.status,
        "version": __version__,
        "uptime_seconds": round(time.time() - state.started_at, 1),
        "components": report.components_dict(),
        "system": {
            "python": platform.python_version(),
            "pid": os.getpid(),
            "workers": state.settings.api.workers,
            "cache_backend": state.cache.backend,
            "rate_limit_backend": state.limiter.backend,
        },
    }
    return report, body


@router.get("/health", response_model=Liveness, summary="Liveness")
async def liveness() -> Liveness:
    """Cheap liveness check: the process answers. No authentication."""
    return Liveness(status="ok", version=__version__)


@router.get(
    "/health/detailed",
    response_model=DetailedHealth,
    responses=error_responses(503),
    summary="Detailed health",
)
async def detailed(request: Request) -> JSONResponse:
    """Every component with its status and latency; 503 when the database is down."""
    report, body = await detailed_body(request)
    return report_response(request, report, body)


class ComponentsHealth(BaseModel):
    status: str = Field(description="healthy, degraded or unhealthy")
    components: dict[str, ComponentStatus]


@router.get(
    "/health/components",
    response_model=ComponentsHealth,
    responses=error_responses(503),
    summary="Component health",
)
async def components(request: Request) -> JSONResponse:
    """Status and latency of the database, cache, job runner, providers, Graphviz."""
    report = await check_components(component_checks(request))
    body = {"status": report.status, "components": report.components_dict()}
    return report_response(request, report, body)
