import asyncio

import pytest

from cloudviz.cache import MemoryCache
from cloudviz.config import MemorySettings, load_settings
from cloudviz.errors import ConfigurationError
from cloudviz.memory_guard import MemoryGuard, parse_size, resident_bytes


def test_sizes_read_as_memory_units():
    assert parse_size("1GB") == 2**30
    assert parse_size("512 MB") == 512 * 2**20
    assert parse_size("1.5g") == int(1.5 * 2**30)
    with pytest.raises(ValueError):
        parse_size("lots")


def test_a_bad_size_in_the_file_is_cv003(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("performance:\n  memory:\n    max_memory_per_worker: lots\n")
    with pytest.raises(ConfigurationError, match="max_memory_per_worker"):
        load_settings(config, environ={})


def test_over_the_threshold_the_guard_collects_and_releases_the_cache():
    cache = MemoryCache(default_ttl=60)
    released: list[bool] = []

    async def release() -> None:
        released.append(True)
        await cache.delete_prefix("")

    async def scenario() -> tuple[bool, bool, bytes | None]:
        await cache.set("diagram:1", b"<svg/>")
        settings = MemorySettings(max_memory_per_worker="100MB", gc_threshold=0.8)
        rss = iter([50 * 2**20, 90 * 2**20, 40 * 2**20])
        guard = MemoryGuard(settings, release, read_rss=lambda: next(rss))
        below = await guard.check()
        above = await guard.check()
        return below, above, await cache.get("diagram:1")

    below, above, cached = asyncio.run(scenario())
    assert (below, above) == (False, True)
    assert released == [True]
    assert cached is None


def test_resident_memory_is_read_from_the_process():
    assert resident_bytes() > 10 * 2**20
