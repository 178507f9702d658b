"""Diagrams of stored snapshots, rendered once and then served from the cache.

A stored snapshot never changes, so a diagram is fully determined by the
snapshot id, the render options, the snapshot it is diffed against and the
CloudViz version. That tuple is the cache key, and its hash is the ETag: a
client revalidating with `If-None-Match` gets its 304 without the diagram
being read from the cache at all.

Rendering is CPU-bound and runs in a worker thread, bounded by
`visualization.limits.timeout`. Identical requests that arrive while a render
is in progress wait for that render instead of starting their own.

Text formats (SVG, HTML, JSON, Mermaid, DOT, draw.io) are also kept gzipped,
compressed once at render time, and served that way to clients that accept
it: an SVG of a few hundred resources shrinks about tenfold.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
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
from cloudviz.recent import RecentAnswers

log = logging.getLogger(__name__)

LoadInventory = Callable[[str], Inventory]
RENDER_GRACE_SECONDS = 10.0


@functools.lru_cache(maxsize=4096)
def diagram_cache_key(
    snapshot_id: str, options: RenderOptions, diff_against: str | None
) -> str:
    """The cache key of one diagram (remembered: the same few are asked often)."""
    digest = hashlib.sha256(
        f"{__version__}|{diff_against}|{options.cache_key()}".encode()
    ).hexdigest()[:40]
    return f"diagram:{snapshot_id}:{digest}"


@dataclass(frozen=True)
class DiagramRequest:
    snapshot_id: str
    options: RenderOptions
    diff_against: str | None = None

    @functools.cached_property
    def cache_key(self) -> str:
        return diagram_cache_key(self.snapshot_id, self.options, self.diff_against)

    def etag(self, encoding: str | None = None) -> str:
        """The ETag of the diagram as sent plain, or with `encoding` ("gzip")."""
        digest = self.cache_key.rsplit(":", 1)[1]
        return f'"{digest}-{encoding}"' if encoding else f'"{digest}"'


@dataclass(frozen=True, slots=True)
class StoredDiagram:
    """A rendered diagram, plain and (for text formats) gzipped."""

    content: bytes
    media_type: str
    gzipped: bytes | None

    def pack(self) -> bytes:
        # One cache value holds everything, so a hit is a single round trip.
        header = orjson.dumps(
            {"media_type": self.media_type, "plain": len(self.content)}
        )
        parts = [len(header).to_bytes(4, "big"), header, self.content]
        return b"".join([*parts, self.gzipped or b""])

    @classmethod
    def unpack(cls, value: bytes) -> StoredDiagram:
        size = int.from_bytes(value[:4], "big")
        header = orjson.loads(value[4 : 4 + size])
        start = 4 + size
        end = start + int(header["plain"])
        return cls(value[start:end], str(header["media_type"]), value[end:] or None)

    @classmethod
    def of(cls, content: bytes, media_type: str) -> StoredDiagram:
        compressible = not media_type.startswith(("image/png", "application/pdf"))
        gzipped = gzip.compress(content, 6, mtime=0) if compressible else None
        return cls(content, media_type, gzipped)


@dataclass(frozen=True, slots=True)
class RenderedDiagram:
    content: bytes
    media_type: str
    etag: str
    cached: bool
    encoding: str | None = None


def snapshot_prefix(snapshot_id: str) -> str:
    """The cache key prefix of every diagram of one snapshot."""
    return f"diagram:{snapshot_id}:"


class SnapshotDiagramService:
    """Renders snapshot diagrams through the cache (see the module docstring)."""

    def __init__(self, cache: Cache, render_timeout: float) -> None:
        self.cache = cache
        self.render_timeout = render_timeout
        self._in_flight: dict[str, asyncio.Future[StoredDiagram]] = {}
        # The hottest diagrams, decoded, for a few seconds: a hit then costs
        # neither a cache round trip nor copying the bytes out of its value.
        self._hot: RecentAnswers[StoredDiagram] = RecentAnswers(max_entries=64)

    async def diagram(
        self, request: DiagramRequest, load: LoadInventory, *, gzip_ok: bool = False
    ) -> RenderedDiagram:
        """The diagram of `request`; `load(snapshot_id)` reads a snapshot.

        With `gzip_ok`, a text format comes gzipped (`encoding="gzip"`).
        """
        stored, cached = await self._stored(request, load)
        if gzip_ok and stored.gzipped is not None:
            return RenderedDiagram(
                stored.gzipped,
                stored.media_type,
                request.etag("gzip"),
                cached,
                "gzip",
            )
        return RenderedDiagram(
            stored.content, stored.media_type, request.etag(), cached
        )

    async def _stored(
        self, request: DiagramRequest, load: LoadInventory
    ) -> tuple[StoredDiagram, bool]:
        key = request.cache_key
        hot = self._hot.get(key)
        if hot is not None:
            CACHE_LOOKUPS.labels("hit").inc()
            return hot, True
        cached = await self.cache.get(key)
        if cached is not None:
            CACHE_LOOKUPS.labels("hit").inc()
            stored = StoredDiagram.unpack(cached)
            self._hot.put(key, stored)
            return stored, True
        CACHE_LOOKUPS.labels("miss").inc()

        pending = self._in_flight.get(key)
        if pending is not None:
            return await asyncio.shield(pending), False

        future: asyncio.Future[StoredDiagram] = (
            asyncio.get_running_loop().create_future()
        )
        self._in_flight[key] = future
        try:
            stored = await self._render(request, load)
            future.set_result(stored)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: no "never retrieved" warning
            raise
        finally:
            del self._in_flight[key]
        await self.cache.set(key, stored.pack())
        self._hot.put(key, stored)
        return stored, False

    async def _render(
        self, request: DiagramRequest, load: LoadInventory
    ) -> StoredDiagram:
        def work() -> StoredDiagram:
            inventory = load(request.snapshot_id)
            baseline = load(request.diff_against) if request.diff_against else None
            result = render(inventory, request.options, diff_against=baseline)
            return StoredDiagram.of(result.data, result.media_type)

        started = time.perf_counter()
        try:
            # The renderer keeps its own deadline (options.timeout) and stops
            # itself; this one is the backstop should loading hang.
            async with asyncio.timeout(self.render_timeout + RENDER_GRACE_SECONDS):
                stored = await run_in_threadpool(work)
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
            len(stored.content),
            seconds,
        )
        return stored

    async def forget_snapshot(self, snapshot_id: str) -> None:
        """Drop every cached diagram of a deleted snapshot."""
        self._hot.forget_prefix(snapshot_prefix(snapshot_id))
        await self.cache.delete_prefix(snapshot_prefix(snapshot_id))
