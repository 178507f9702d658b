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

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from cloudviz import __version__
from cloudviz.api import (
    auth,
    diagrams,
    health,
    jobs,
    metrics,
    snapshots,
    status,
    users,
)
from cloudviz.api.errors import error_responses, install_error_handlers
from cloudviz.api.middleware import RequestMiddleware, header
from cloudviz.api.ratelimit import client_key
from cloudviz.api.state import ServerState
from cloudviz.auth.tokens import TokenCodec
from cloudviz.config import Settings, load_settings
from cloudviz.errors import CloudVizError
from cloudviz.health import database_check, job_runner_check
from cloudviz.memory_guard import MemoryGuard
from cloudviz.metrics import JobCollector
from cloudviz.recent import RecentAnswers, credential_key
from cloudviz.store.schema import ensure_current_schema
from cloudviz.web import mount_web_ui

log = logging.getLogger(__name__)

DESCRIPTION = """
Discover or import AWS, Azure and GCP estates, keep them as snapshots and draw
them as diagrams.

Authenticate with `Authorization: Bearer <access token>` (from `/auth/login`)
or `X-API-Key: <key>`. Every error answers with the same body:
`{"error", "code", "cv_code", "request_id"}` (a 429 adds `retry_after`).
"""


def client_identifier(settings: Settings) -> Callable[[Scope], str]:
    """Who a request counts against for rate limiting: key, user or address.

    A bearer token is verified (signature and expiry, no database) before its
    user is trusted, once per token per minute; a bad one counts against the
    client address.
    """
    codec = TokenCodec(settings.auth)
    users_by_token: RecentAnswers[str] = RecentAnswers(seconds=60)

    def token_user(token: str) -> str | None:
        key = credential_key("token", token)
        user = users_by_token.get(key)
        if user is None:
            try:
                claims = codec.decode(token)
            except CloudVizError:
                claims = None
            # A bad token is remembered too (as ""): garbage costs no crypto.
            user = str(claims.user_id) if claims else ""
            if claims is None or claims.expires_at.timestamp() - time.time() > 60:
                users_by_token.put(key, user)
        return user or None

    def identify(scope: Scope) -> str:
        api_key = header(scope, b"x-api-key")
        user = None
        authorization = header(scope, b"authorization") or ""
        if not api_key and authorization[:7].lower() == "bearer ":
            user = token_user(authorization[7:])
        client = scope.get("client")
        return client_key(api_key, user, client[0] if client else None)

    return identify


def prepare_database(state: ServerState) -> None:
    """Migrate the embedded SQLite, check a configured one, recover jobs.

    A database that is down at start is not fatal: requests answer 503
    (CV005) until it is back, and the server needs no restart.
    """
    embedded = state.settings.database.url is None
    try:
        ensure_current_schema(state.database, upgrade_schema=embedded)
        state.jobs.start()  # jobs a previous run left behind: failed or re-queued
    except CloudVizError as error:
        log.warning("server.database_not_ready error=%s", error)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured CloudViz application; `settings` default to `load_settings()`."""
    settings = settings or load_settings()
    state = ServerState.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("server.start version=%s", __version__)
        await run_in_threadpool(prepare_database, state)
        guard = MemoryGuard(settings.performance.memory, state.release_memory)
        watcher = asyncio.create_task(guard.watch())
        yield
        watcher.cancel()
        await state.close()
        log.info("server.stop")

    app = FastAPI(
        title="CloudViz",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=error_responses(422, 429, 500),
    )
    app.state.server = state
    app.state.health_checks = {
        "database": database_check(state.database.ping, state.database.dialect),
        "job_runner": job_runner_check(state.jobs.health),
    }
    app.state.metric_collectors = [JobCollector(state.database)]
    install_error_handlers(app)

    for router in (
        # First: the hottest path matches soonest (no other route overlaps it).
        diagrams.router,
        health.router,
        metrics.router,
        auth.router,
        auth.keys_router,
        status.router,
        users.router,
        snapshots.router,
        jobs.router,
    ):
        app.include_router(router)
    mount_web_ui(app)

    app.add_middleware(
        RequestMiddleware,
        limiter=state.limiter,
        identify=client_identifier(settings),
        max_request_size=settings.api.max_request_size,
        timeout=settings.api.timeout,
        access_log=settings.api.log_requests,
    )
    return app


def create_app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` and server workers: settings from env."""
    return create_app(load_settings())


__all__: list[Any] = ["create_app", "create_app_from_environment"]
