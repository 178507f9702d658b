"""The `/metrics` endpoint (Prometheus text format, no authentication)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from cloudviz.metrics import scrape

router = APIRouter(tags=["monitoring"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
    summary="Prometheus metrics",
)
def metrics(request: Request) -> Response:
    """Metrics in the Prometheus text format (no authentication, like /health)."""
    extra = request.app.state.metric_collectors
    return Response(scrape(extra), media_type=CONTENT_TYPE_LATEST)
