"""Rate limits per API key, user or client address, with the `limits` library.

Two limits apply to every request of one client:

- `api.rate_limiting.default_rate` ("1000/minute"): how many requests a client
  may make per window, counted with a sliding window;
- `api.rate_limiting.burst_rate` ("2000/minute"): how fast they may arrive,
  enforced per second (2000/minute allows 34 requests in any one second), so
  a client cannot spend a whole minute's allowance in one instant.

Counters live in Redis when `cache.url`/`REDIS_URL` is set, so every worker
and replica shares them, and in process memory otherwise (through `limits`'
synchronous API: those counters are plain dictionaries, and its asyncio memory
storage would cost an event-loop task and asyncio locks on every request).
When Redis stops
answering, the limiter falls back to memory (logging once) and tries Redis
again after `REDIS_RETRY_SECONDS`; a limiter outage never fails a request.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerSecond, WindowStats, parse
from limits import storage as sync_storage
from limits import strategies as sync_strategies
from limits.aio.storage import RedisStorage, Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)

from cloudviz.config import RateLimitSettings

log = logging.getLogger(__name__)

REDIS_RETRY_SECONDS = 30.0
KEY_PREFIX = "cloudviz-limits"


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The outcome for one request, and what its headers should say."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: int
    retry_after: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"x-ratelimit-limit", str(self.limit).encode()),
            (b"x-ratelimit-remaining", str(self.remaining).encode()),
            (b"x-ratelimit-reset", str(self.reset_at).encode()),
        ]


def per_second(rate: RateLimitItem) -> RateLimitItem:
    """The same rate expressed over one second, at least one request."""
    seconds = rate.get_expiry()
    return RateLimitItemPerSecond(max(1, math.ceil(rate.amount / seconds)))


def client_key(api_key: str | None, user: str | None, address: str | None) -> str:
    """Who a request is counted against: its API key, its user, or its address.

    API keys are hashed so that no secret is ever written to Redis.
    """
    if api_key:
        return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:32]
    if user:
        return f"user:{user}"
    return f"addr:{address or 'unknown'}"


class _Limiters:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.window = SlidingWindowCounterRateLimiter(storage)
        self.burst: RateLimiter = FixedWindowRateLimiter(storage)


class _MemoryLimiters:
    def __init__(self) -> None:
        self.storage = sync_storage.MemoryStorage()
        self.window = sync_strategies.SlidingWindowCounterRateLimiter(self.storage)
        self.burst = sync_strategies.FixedWindowRateLimiter(self.storage)


class RequestRateLimiter:
    """Decides, per request, whether a client is within its limits."""

    def __init__(self, settings: RateLimitSettings, redis_url: str | None) -> None:
        self.enabled = settings.enabled
        self.default_rate = parse(settings.default_rate)
        self.burst_rate = per_second(parse(settings.burst_rate))
        self._memory = _MemoryLimiters()
        self._redis: _Limiters | None = None
        self._redis_retry_at = 0.0
        if redis_url:
            storage = RedisStorage(
                _async_uri(redis_url),
                implementation="redispy",
                key_prefix=KEY_PREFIX,
                socket_connect_timeout=0.5,
                socket_timeout=0.5,
            )
            self._redis = _Limiters(storage)

    @property
    def backend(self) -> str:
        if self._redis is not None and time.monotonic() >= self._redis_retry_at:
            return "redis"
        return "memory"

    async def check(self, client: str) -> RateDecision:
        """Count one request of `client` and say whether it may proceed."""
        if self._redis is not None and time.monotonic() >= self._redis_retry_at:
            try:
                return await self._decide(self._redis, client)
            except Exception as error:  # any storage failure: degrade, not fail
                self._redis_retry_at = time.monotonic() + REDIS_RETRY_SECONDS
                log.warning(
                    "ratelimit.redis_unavailable error=%s fallback=memory retry_in=%s",
                    type(error).__name__,
                    REDIS_RETRY_SECONDS,
                )
        memory = self._memory
        within_burst = memory.burst.hit(self.burst_rate, client)
        within_window = within_burst and memory.window.hit(self.default_rate, client)
        stats = memory.window.get_window_stats(self.default_rate, client)
        return self._decision(within_burst, within_window, stats)

    async def _decide(self, limiters: _Limiters, client: str) -> RateDecision:
        within_burst = await limiters.burst.hit(self.burst_rate, client)
        within_window = within_burst and await limiters.window.hit(
            self.default_rate, client
        )
        stats = await limiters.window.get_window_stats(self.default_rate, client)
        return self._decision(within_burst, within_window, stats)

    def _decision(
        self, within_burst: bool, within_window: bool, stats: WindowStats
    ) -> RateDecision:
        now = time.time()
        reset_at = math.ceil(max(stats.reset_time, now))
        if within_window:
            retry_after = 0
        elif not within_burst:
            retry_after = 1
        else:
            retry_after = max(1, math.ceil(stats.reset_time - now))
        return RateDecision(
            allowed=within_window,
            limit=self.default_rate.amount,
            remaining=stats.remaining,
            reset_at=reset_at,
            retry_after=retry_after,
        )

    async def reset(self) -> None:
        """Forget every counter (tests and `cloudviz` admin tooling)."""
        self._memory.storage.reset()
        if self._redis is not None:
            try:
                await self._redis.storage.reset()
            except Exception:
                log.debug("ratelimit.reset redis unavailable", exc_info=True)


def _async_uri(url: str) -> str:
    # limits picks its asyncio storage from an `async+` scheme.
    return url if url.startswith("async+") else "async+" + url
