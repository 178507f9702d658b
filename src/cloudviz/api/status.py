"""Authenticated status and health, for scripts holding a token or a key."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from cloudviz import __version__
from cloudviz.api.deps import CurrentPrincipal, Server
from cloudviz.api.errors import error_responses
from cloudviz.api.health import DetailedHealth, detailed_body, report_response

router = APIRouter(prefix="/api/v1", tags=["health"])


class StatusOut(BaseModel):
    status: str
    version: str
    uptime_seconds: float
    principal: str
    kind: str
    permissions: list[str]
    database: str
    cache: str
    rate_limit_backend: str


@router.get(
    "/status", response_model=StatusOut, responses=error_responses(401, 403, 503)
)
def api_status(principal: CurrentPrincipal, state: Server) -> StatusOut:
    """Who you are to the API, and which backends this server uses."""
    return StatusOut(
        status="ok",
        version=__version__,
        uptime_seconds=round(time.time() - state.started_at, 1),
        principal=principal.name,
        kind=principal.kind,
        permissions=sorted(principal.permissions),
        database=state.database.dialect,
        cache=state.cache.backend,
        rate_limit_backend=state.limiter.backend,
    )


@router.get(
    "/health",
    response_model=DetailedHealth,
    responses=error_responses(401, 403, 503),
)
async def api_health(request: Request, principal: CurrentPrincipal) -> JSONResponse:
    """The detailed health report, for a caller with credentials."""
    report, body = await detailed_body(request)
    return report_response(request, report, body)
