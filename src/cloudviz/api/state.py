"""What one server process holds for its lifetime, shared by every request."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from cloudviz.api.ratelimit import RequestRateLimiter
from cloudviz.auth.permissions import Principal
from cloudviz.cache import Cache, MemoryCache, cache_from_settings
from cloudviz.config import Settings
from cloudviz.jobs.runner import JobRunner, create_job_runner
from cloudviz.recent import RecentAnswers
from cloudviz.snapshot_diagrams import SnapshotDiagramService
from cloudviz.store.database import Database


@dataclass(slots=True)
class ServerState:
    """Settings and the long-lived clients built from them."""

    settings: Settings
    database: Database
    cache: Cache
    limiter: RequestRateLimiter
    diagrams: SnapshotDiagramService
    jobs: JobRunner
    principals: RecentAnswers[Principal] = field(default_factory=RecentAnswers)
    principal_lookups: dict[str, asyncio.Future[Principal]] = field(
        default_factory=dict
    )
    snapshots_seen: RecentAnswers[bool] = field(default_factory=RecentAnswers)
    started_at: float = field(default_factory=time.time)

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerState:
        url = settings.cache.url
        redis_url = url.get_secret_value() if url is not None else None
        cache = cache_from_settings(settings.cache)
        # The engine connects lazily: a server whose database is down still
        # starts, answers 503 (CV005) and recovers by itself.
        database = Database.from_settings(settings)
        return cls(
            settings=settings,
            database=database,
            cache=cache,
            limiter=RequestRateLimiter(settings.api.rate_limiting, redis_url),
            diagrams=SnapshotDiagramService(
                cache, settings.visualization.limits.timeout
            ),
            jobs=create_job_runner(settings, database),
        )

    async def release_memory(self) -> None:
        """Drop what this worker can rebuild: its in-memory diagram cache."""
        if isinstance(self.cache, MemoryCache):
            await self.cache.delete_prefix("")

    def forget_principals(self) -> None:
        """Credentials or rights changed: check every caller again."""
        self.principals.clear()
        self.principal_lookups.clear()

    async def close(self) -> None:
        self.jobs.shutdown(wait=False)
        await self.cache.close()
        self.database.dispose()
