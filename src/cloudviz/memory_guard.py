"""Keep a server worker inside `performance.memory.max_memory_per_worker`.

Every few seconds the guard reads the worker's resident memory. Once it passes
`gc_threshold` of the limit (0.8 of 1GB by default) it runs a full garbage
collection and asks the worker to drop what it can rebuild (the in-memory
diagram cache), and logs a warning with the numbers. It never kills the
worker: an orchestrator's hard limit (Docker `--memory`, Kubernetes
`resources.limits.memory`) stays the backstop.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import re
from collections.abc import Awaitable, Callable

from cloudviz.config import MemorySettings

log = logging.getLogger(__name__)

_UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?B?)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """`1GB` → 1073741824; units are powers of 1024, as memory limits are."""
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size; write it like '1GB' or '512MB'")
    number, unit = match.groups()
    unit = unit.upper()
    if unit and not unit.endswith("B"):
        unit += "B"
    return int(float(number) * _UNITS[unit])


def resident_bytes() -> int:
    """This process's resident set size (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


class MemoryGuard:
    def __init__(
        self,
        settings: MemorySettings,
        release: Callable[[], Awaitable[None]],
        read_rss: Callable[[], int] = resident_bytes,
    ) -> None:
        self.limit = parse_size(settings.max_memory_per_worker)
        self.threshold = int(self.limit * settings.gc_threshold)
        self._release = release
        self._read_rss = read_rss

    async def check(self) -> bool:
        """Collect and release when over the threshold; True if it acted."""
        before = self._read_rss()
        if before < self.threshold:
            return False
        gc.collect()
        await self._release()
        log.warning(
            "memory.pressure rss_mb=%.0f threshold_mb=%.0f limit_mb=%.0f after_mb=%.0f",
            before / 2**20,
            self.threshold / 2**20,
            self.limit / 2**20,
            self._read_rss() / 2**20,
        )
        return True

    async def watch(self, interval: float = 10.0) -> None:
        """Check forever; cancel the task to stop."""
        while True:
            await asyncio.sleep(interval)
            await self.check()
