"""The cache of rendered diagrams: Redis when configured, process memory else.

`cache_from_settings` picks the backend: `cache.enabled: false` gives a cache
that keeps nothing; `cache.url` (or `REDIS_URL`) gives Redis, shared by every
worker; otherwise an in-process LRU bounded in bytes. Entries live
`cache.default_ttl` seconds (0: until evicted).

The cache is an accelerator, never a dependency: when Redis stops answering,
`RedisCache` serves from its in-memory fallback, logs once, reports itself
degraded (CV006) to the health endpoint and tries Redis again
`RETRY_SECONDS` later.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from cloudviz.config import CacheSettings

log = logging.getLogger(__name__)

RETRY_SECONDS = 15.0
MEMORY_CACHE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CacheHealth:
    backend: str
    ok: bool
    detail: str = ""


class Cache(Protocol):
    """Bytes by key, with a time to live; keys share prefixes per snapshot."""

    backend: str

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: int | None = None) -> None: ...

    async def delete_prefix(self, prefix: str) -> None: ...

    async def health(self) -> CacheHealth: ...

    async def close(self) -> None: ...


class NullCache:
    """`cache.enabled: false`: every lookup misses."""

    backend = "disabled"

    async def get(self, key: str) -> bytes | None:
        return None

    async def set(self, key: str, value: bytes, ttl: int | None = None) -> None:
        return None

    async def delete_prefix(self, prefix: str) -> None:
        return None

    async def health(self) -> CacheHealth:
        return CacheHealth(self.backend, True, "caching is turned off")

    async def close(self) -> None:
        return None


class MemoryCache:
    """A least-recently-used cache in this process, bounded in total bytes."""

    backend = "memory"

    def __init__(self, default_ttl: int, max_bytes: int = MEMORY_CACHE_BYTES) -> None:
        self.default_ttl = default_ttl
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._bytes = 0

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires and expires < time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes, ttl: int | None = None) -> None:
        if len(value) > self.max_bytes:
            return
        lifetime = self.default_ttl if ttl is None else ttl
        expires = time.monotonic() + lifetime if lifetime else 0.0
        self._drop(key)
        self._entries[key] = (value, expires)
        self._bytes += len(value)
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    async def delete_prefix(self, prefix: str) -> None:
        for key in [key for key in self._entries if key.startswith(prefix)]:
            self._drop(key)

    async def health(self) -> CacheHealth:
        return CacheHealth(self.backend, True, f"{len(self._entries)} entries")

    async def close(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[0])


class RedisCache:
    """Redis shared by every worker, with a memory fallback while it is down."""

    backend = "redis"

    def __init__(self, url: str, default_ttl: int, namespace: str = "cloudviz") -> None:
        from redis.asyncio import Redis

        self.default_ttl = default_ttl
        self.namespace = namespace
        self._client: Any = Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=1.0
        )
        self._fallback = MemoryCache(default_ttl)
        self._down_until = 0.0
        self._last_error = ""

    def _usable(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, error: Exception) -> None:
        if self._usable():
            log.warning(
                "cache.redis_unavailable error=%s fallback=memory retry_in=%s",
                error,
                RETRY_SECONDS,
            )
        self._down_until = time.monotonic() + RETRY_SECONDS
        self._last_error = str(error) or type(error).__name__

    async def get(self, key: str) -> bytes | None:
        if self._usable():
            try:
                value: bytes | None = await self._client.get(self.namespace + key)
                return value
            except Exception as error:  # any Redis failure: serve without it
                self._failed(error)
        return await self._fallback.get(key)

    async def set(self, key: str, value: bytes, ttl: int | None = None) -> None:
        lifetime = self.default_ttl if ttl is None else ttl
        if self._usable():
            try:
                await self._client.set(self.namespace + key, value, ex=lifetime or None)
                return
            except Exception as error:
                self._failed(error)
        await self._fallback.set(key, value, lifetime)

    async def delete_prefix(self, prefix: str) -> None:
        await self._fallback.delete_prefix(prefix)
        if not self._usable():
            return
        try:
            pattern = self.namespace + prefix + "*"
            async for key in self._client.scan_iter(match=pattern, count=500):
                await self._client.delete(key)
        except Exception as error:
            self._failed(error)

    async def health(self) -> CacheHealth:
        try:
            await self._client.ping()
        except Exception as error:
            self._failed(error)
            return CacheHealth(self.backend, False, self._last_error)
        self._down_until = 0.0
        return CacheHealth(self.backend, True, "")

    async def close(self) -> None:
        await self._client.aclose()


def cache_from_settings(settings: CacheSettings, namespace: str = "cloudviz:") -> Cache:
    """The cache the settings ask for (see the module docstring)."""
    if not settings.enabled:
        return NullCache()
    if settings.url is not None:
        url = settings.url.get_secret_value()
        return RedisCache(url, settings.default_ttl, namespace)
    return MemoryCache(settings.default_ttl)
