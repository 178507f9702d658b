"""Diagrams of stored snapshots, rendered once and then served from the cache.

A stored snapshot never changes, so a diagram is fully determined by the
snapshot id, the render options, the snapshot it is diffed against and the
CloudViz version. That tuple is the cache key, and its hash is the ETag: a
client revalidating with `If-None-Match` gets its 304 without the diagram
being read from the cache at all.

Rendering is CPU-bound and runs in a worker thread, bounded by
`visualization.limits.timeout`. Identical requests that arrive while a render
is in progress wait for that render instead of starting their own.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import orjson
from starlette.concurrency import run_in_threadpool

from cloudviz import __version__
from cloudviz.cache import Cache
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import render
from cloudviz.errors import VisualizationError
from cloudviz.inventory.model import Inventory
from cloudviz.metrics import CACHE_LOOKUPS, RENDER_SECONDS

log = logging.getLogger(__name__)

LoadInventory = Callable[[str], Inventory]
RENDER_GRACE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class DiagramRequest:
    snapshot_id: str
    options: RenderOptions
    diff_against: str | None = None

    def cache_key(self) -> str:
        digest = hashlib.sha256(
            f"{__version__}|{self.diff_against}|{self.options.cache_key()}".encode()
        ).hexdigest()[:40]
        return f"diagram:{self.snapshot_id}:{digest}"

    def etag(self) -> str:
        return f'"{self.cache_key().rsplit(":", 1)[1]}"'


@dataclass(frozen=True, slots=True)
class RenderedDiagram:
    content: bytes
    media_type: str
    etag: str
    cached: bool


def _pack(content: bytes, media_type: str) -> bytes:
    # One cache value holds both, so a hit is a single round trip.
    header = orjson.dumps({"media_type": media_type})
    return len(header).to_bytes(4, "big") + header + content


def _unpack(value: bytes) -> tuple[bytes, str]:
    size = int.from_bytes(value[:4], "big")
    header = orjson.loads(value[4 : 4 + size])
    return value[4 + size :], str(header["media_type"])


def snapshot_prefix(snapshot_id: str) -> str:
    """The cache key prefix of every diagram of one snapshot."""
    return f"diagram:{snapshot_id}:"


class SnapshotDiagramService:
    """Renders snapshot diagrams through the cache (see the module docstring)."""

    def __init__(self, cache: Cache, render_timeout: float) -> None:
        self.cache = cache
        self.render_timeout = render_timeout
        self._in_flight: dict[str, asyncio.Future[tuple[bytes, str]]] = {}

    async def diagram(
        self, request: DiagramRequest, load: LoadInventory
    ) -> RenderedDiagram:
        """The diagram of `request`; `load(snapshot_id)` reads a snapshot."""
        key = request.cache_key()
        cached = await self.cache.get(key)
        if cached is not None:
            CACHE_LOOKUPS.labels("hit").inc()
            content, media_type = _unpack(cached)
            return RenderedDiagram(content, media_type, request.etag(), True)
        CACHE_LOOKUPS.labels("miss").inc()

        pending = self._in_flight.get(key)
        if pending is not None:
            content, media_type = await asyncio.shield(pending)
            return RenderedDiagram(content, media_type, request.etag(), False)

        future: asyncio.Future[tuple[bytes, str]] = (
            asyncio.get_running_loop().create_future()
        )
        self._in_flight[key] = future
        try:
            content, media_type = await self._render(request, load)
            future.set_result((content, media_type))
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: no "never retrieved" warning
            raise
        finally:
            del self._in_flight[key]
        await self.cache.set(key, _pack(content, media_type))
        return RenderedDiagram(content, media_type, request.etag(), False)

    async def _render(
        self, request: DiagramRequest, load: LoadInventory
    ) -> tuple[bytes, str]:
        def work() -> tuple[bytes, str]:
            inventory = load(request.snapshot_id)
            baseline = load(request.diff_against) if request.diff_against else None
            result = render(inventory, request.options, diff_against=baseline)
            return result.data, result.media_type

        started = time.perf_counter()
        try:
            # The renderer keeps its own deadline (options.timeout) and stops
            # itself; this one is the backstop should loading hang.
            async with asyncio.timeout(self.render_timeout + RENDER_GRACE_SECONDS):
                pair = await run_in_threadpool(work)
        except TimeoutError:
            raise VisualizationError(
                f"Diagram generation timed out after {self.render_timeout:g} seconds",
                hint="filter the snapshot, paginate (paginate=true), or raise "
                "visualization.limits.timeout",
            ) from None
        seconds = time.perf_counter() - started
        RENDER_SECONDS.labels(request.options.format).observe(seconds)
        log.info(
            "diagram.render snapshot=%s format=%s bytes=%s seconds=%.2f",
            request.snapshot_id,
            request.options.format,
            len(pair[0]),
            seconds,
        )
        return pair

    async def forget_snapshot(self, snapshot_id: str) -> None:
        """Drop every cached diagram of a deleted snapshot."""
        await self.cache.delete_prefix(snapshot_prefix(snapshot_id))
