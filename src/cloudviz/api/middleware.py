"""The one ASGI middleware every request passes: id, limits, timing, timeout.

In order, for each HTTP request it

1. gives it an `X-Request-ID` (an incoming one is echoed when it looks sane);
2. refuses a body larger than `api.max_request_size` with 413, by its
   `Content-Length` and by counting the bytes actually streamed;
3. counts it against the client's rate limits, adds the `X-RateLimit-*`
   headers to the response, and answers 429 when over;
4. stops waiting after `api.timeout` seconds with 504 (CV008) if the response
   has not started;
5. turns any exception that escaped the routes into a 500 envelope without a
   traceback (the log keeps it), and records the request's metrics.

It is written against raw ASGI rather than `BaseHTTPMiddleware` because it
runs on every request and the cached-diagram path must stay fast.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cloudviz.api.errors import (
    RateLimitExceededError,
    RequestTooLargeError,
    render_error,
    translate_exception,
)
from cloudviz.api.ratelimit import RateDecision, RequestRateLimiter
from cloudviz.errors import CloudVizError, NetworkError
from cloudviz.metrics import LATENCY, RATE_LIMITED, REQUESTS

log = logging.getLogger("cloudviz.api.requests")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class _BodyTooLargeError(Exception):
    pass


class _RequestIds:
    """New request ids: 32 hex characters, a random per-process part and a count.

    As unique as a random UUID without asking the operating system for random
    bytes on every request; a forked worker draws its own random part.
    """

    def __init__(self) -> None:
        self._renew()
        os.register_at_fork(after_in_child=self._renew)

    def _renew(self) -> None:
        self._process = secrets.token_hex(8)
        self._count = itertools.count()

    def __call__(self) -> str:
        return f"{self._process}{next(self._count) & 0xFFFF_FFFF_FFFF_FFFF:016x}"


new_request_id = _RequestIds()


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _SANE_REQUEST_ID.match(text):
                return text
            break
    return new_request_id()


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def exchange_is_head(scope: Scope) -> bool:
    return bool(scope.get("state", {}).get("head"))


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


ClientIdentifier = Callable[[Scope], str]


class RequestMiddleware:
    """See the module docstring; `identify` names the client for rate limits."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RequestRateLimiter,
        identify: ClientIdentifier,
        max_request_size: int,
        timeout: float,
        access_log: bool = False,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.identify = identify
        self.max_request_size = max_request_size
        self.timeout = timeout
        self.access_log = access_log
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_from(scope["headers"])
        scope.setdefault("state", {})["request_id"] = request_id
        exchange = _Exchange(request_id, send)
        if scope["method"] == "HEAD":
            # HEAD is GET without the body (`curl -I` on any endpoint).
            scope["method"] = "GET"
            exchange.head = True
        try:
            await self._handle(scope, receive, exchange)
        finally:
            scope["state"]["head"] = exchange.head
            self._record(scope, exchange.status, time.perf_counter() - started)

    async def _handle(
        self, scope: Scope, receive: Receive, exchange: _Exchange
    ) -> None:
        declared = header(scope, b"content-length")
        too_large = declared is not None and declared.isdigit()
        if too_large and int(declared or 0) > self.max_request_size:
            await exchange.fail(RequestTooLargeError(self.max_request_size))
            return

        if self.limiter.enabled:
            decision = await self.limiter.check(self.identify(scope))
            exchange.extra_headers = decision.headers()
            if not decision.allowed:
                RATE_LIMITED.inc()
                await exchange.fail(RateLimitExceededError(decision.retry_after))
                return

        counted = _CountingReceive(receive, self.max_request_size)
        exchange.body = counted
        try:
            async with asyncio.timeout(self.timeout) as deadline:
                exchange.deadline = deadline
                await self.app(scope, counted, exchange.send)
        except TimeoutError:
            await exchange.fail(
                NetworkError(
                    f"the request took longer than {self.timeout:g} seconds",
                    http_status=504,
                    hint="narrow the request, or raise api.timeout",
                )
            )
        except Exception as error:
            if counted.exceeded:
                await exchange.fail(RequestTooLargeError(self.max_request_size))
                return
            known = translate_exception(error)
            if known is None:
                log.error(
                    "request.unhandled request_id=%s path=%s",
                    exchange.request_id,
                    scope.get("path"),
                    exc_info=error,
                )
                known = CloudVizError(
                    "internal server error",
                    hint=f"report request id {exchange.request_id} to the operator",
                )
            await exchange.fail(known)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_template(scope)
        method = "HEAD" if exchange_is_head(scope) else scope["method"]
        series = self._series.get((method, route, status))
        if series is None:
            # Looking a labelled series up costs more than recording into it;
            # routes are templates and statuses few, so this stays small.
            series = (
                REQUESTS.labels(method, route, str(status)),
                LATENCY.labels(method, route),
            )
            self._series[(method, route, status)] = series
        requests, latency = series
        requests.inc()
        latency.observe(seconds)
        if self.access_log:
            log.info(
                "request method=%s path=%s status=%s ms=%.1f request_id=%s",
                method,
                scope.get("path"),
                status,
                seconds * 1000,
                scope["state"]["request_id"],
            )


class _Exchange:
    """Wraps `send`: adds our headers and remembers what was sent.

    When the body turned out too large while a route was reading it, FastAPI
    may already be answering with its own 400; that answer is replaced by 413.
    """

    def __init__(self, request_id: str, send: Send) -> None:
        self.request_id = request_id
        self._send = send
        self.extra_headers: list[tuple[bytes, bytes]] = []
        self.status = 500
        self.started = False
        self.deadline: asyncio.Timeout | None = None
        self.body: _CountingReceive | None = None
        self.head = False
        self._replaced = False

    async def send(self, message: Message) -> None:
        if self._replaced:
            return
        if message["type"] == "http.response.start":
            if self.body is not None and self.body.exceeded:
                self._replaced = True
                await self.fail(RequestTooLargeError(self.body.limit))
                return
            if self.deadline is not None:
                # The answer is on its way; a slow client download is not ours.
                self.deadline.reschedule(None)
        await self._forward(message)

    async def _forward(self, message: Message) -> None:
        if self.head and message["type"] == "http.response.body":
            message = {**message, "body": b""}
        if message["type"] == "http.response.start":
            self.started = True
            self.status = message["status"]
            headers = list(message.get("headers", []))
            headers.append((b"x-request-id", self.request_id.encode()))
            headers.extend(self.extra_headers)
            message = {**message, "headers": headers}
        await self._send(message)

    async def fail(self, error: CloudVizError) -> None:
        if self.started:
            # Too late for an error body: the client sees a cut response.
            log.warning("request.failed_after_start error=%s", error.message)
            return
        response = render_error(error, self.request_id)
        await response(_NO_SCOPE, _no_receive, self._forward)


_NO_SCOPE: dict[str, Any] = {"type": "http"}


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


class _CountingReceive:
    """A `receive` that stops a streamed body once it passes the limit."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self.limit = limit
        self._seen = 0
        self.exceeded = False

    async def __call__(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self._seen += len(message.get("body", b""))
            if self._seen > self.limit:
                self.exceeded = True
                raise _BodyTooLargeError()
        return message


__all__ = ["RateDecision", "RequestMiddleware"]
