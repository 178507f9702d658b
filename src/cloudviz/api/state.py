"""What one server process holds for its lifetime, shared by every request."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cloudviz.api.ratelimit import RequestRateLimiter
from cloudviz.cache import Cache, cache_from_settings
from cloudviz.config import Settings


@dataclass(slots=True)
class ServerState:
    """Settings and the long-lived clients built from them."""

    settings: Settings
    cache: Cache
    limiter: RequestRateLimiter
    started_at: float = field(default_factory=time.time)

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerState:
        url = settings.cache.url
        redis_url = url.get_secret_value() if url is not None else None
        return cls(
            settings=settings,
            cache=cache_from_settings(settings.cache),
            limiter=RequestRateLimiter(settings.api.rate_limiting, redis_url),
        )

    async def close(self) -> None:
        await self.cache.close()
