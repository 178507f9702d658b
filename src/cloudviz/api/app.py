"""The FastAPI application: `create_app(settings)` wires every area together.

```python
from cloudviz.api import create_app
from cloudviz.config import load_settings

app = create_app(load_settings())
```

Routes live one module per area (`health`, `auth`, `users`, `snapshots`,
`diagrams`, `jobs`); they parse requests and shape responses, and the
services behind them do the work.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import Scope

from cloudviz import __version__
from cloudviz.api import health, metrics
from cloudviz.api.errors import error_responses, install_error_handlers
from cloudviz.api.middleware import RequestMiddleware, header
from cloudviz.api.ratelimit import client_key
from cloudviz.api.state import ServerState
from cloudviz.config import Settings, load_settings

log = logging.getLogger(__name__)

DESCRIPTION = """
Discover or import AWS, Azure and GCP estates, keep them as snapshots and draw
them as diagrams.

Authenticate with `Authorization: Bearer <access token>` (from `/auth/login`)
or `X-API-Key: <key>`. Every error answers with the same body:
`{"error", "code", "cv_code", "request_id"}` (a 429 adds `retry_after`).
"""


def identify_client(scope: Scope) -> str:
    """Who a request counts against for rate limiting."""
    api_key = header(scope, b"x-api-key")
    authorization = header(scope, b"authorization") or ""
    token = authorization[7:] if authorization[:7].lower() == "bearer " else None
    client = scope.get("client")
    address = client[0] if client else None
    return client_key(api_key, token, address)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured CloudViz application; `settings` default to `load_settings()`."""
    settings = settings or load_settings()
    state = ServerState.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("server.start version=%s", __version__)
        yield
        await state.close()
        log.info("server.stop")

    app = FastAPI(
        title="CloudViz",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=error_responses(500),
    )
    app.state.server = state
    app.state.health_checks = {}
    app.state.metric_collectors = []
    install_error_handlers(app)

    for router in (health.router, metrics.router):
        app.include_router(router)

    app.add_middleware(
        RequestMiddleware,
        limiter=state.limiter,
        identify=identify_client,
        max_request_size=settings.api.max_request_size,
        timeout=settings.api.timeout,
        access_log=settings.api.log_requests,
    )
    return app


def create_app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` and server workers: settings from env."""
    return create_app(load_settings())


__all__: list[Any] = ["create_app", "create_app_from_environment"]
