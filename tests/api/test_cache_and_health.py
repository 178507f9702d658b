"""The diagram cache backends and the health endpoints around them."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from cloudviz.api import create_app
from cloudviz.cache import MemoryCache, NullCache, RedisCache, cache_from_settings
from cloudviz.config import CacheSettings
from tests.api.conftest import make_settings
from tests.api.test_ratelimit import REDIS_URL, closed_port


@pytest.mark.anyio
async def test_memory_cache_evicts_least_recently_used_by_bytes():
    cache = MemoryCache(default_ttl=0, max_bytes=10)
    await cache.set("a", b"12345")
    await cache.set("b", b"12345")
    assert await cache.get("a") == b"12345"  # a is now the most recent
    await cache.set("c", b"123")
    assert await cache.get("b") is None
    assert await cache.get("a") == b"12345"
    await cache.delete_prefix("a")
    assert await cache.get("a") is None


@pytest.mark.anyio
async def test_memory_cache_expires_entries():
    cache = MemoryCache(default_ttl=3600)
    await cache.set("gone", b"x", ttl=-1)
    assert await cache.get("gone") is None


def test_settings_choose_the_backend():
    assert isinstance(cache_from_settings(CacheSettings(enabled=False)), NullCache)
    assert isinstance(cache_from_settings(CacheSettings()), MemoryCache)
    redis = cache_from_settings(CacheSettings(url=REDIS_URL))
    assert isinstance(redis, RedisCache)


@pytest.mark.redis
@pytest.mark.anyio
async def test_redis_cache_round_trip_and_prefix_delete():
    cache = RedisCache(REDIS_URL, default_ttl=60, namespace=f"t{uuid.uuid4().hex}:")
    await cache.set("snap:1:a", b"one")
    await cache.set("snap:1:b", b"two")
    await cache.set("snap:2:a", b"three")
    assert await cache.get("snap:1:a") == b"one"
    await cache.delete_prefix("snap:1:")
    assert await cache.get("snap:1:b") is None
    assert await cache.get("snap:2:a") == b"three"
    assert (await cache.health()).ok
    await cache.delete_prefix("")
    await cache.close()


@pytest.mark.anyio
async def test_redis_cache_down_serves_from_memory():
    cache = RedisCache(f"redis://127.0.0.1:{closed_port()}/0", default_ttl=60)
    await cache.set("k", b"v")
    assert await cache.get("k") == b"v"
    health = await cache.health()
    assert not health.ok
    await cache.close()


def test_liveness_is_cheap_and_open(sqlite_url):
    with TestClient(create_app(make_settings(sqlite_url))) as client:
        response = client.get("/health")
    assert response.json()["status"] == "ok"


def test_detailed_health_lists_components_with_latency(sqlite_url):
    with TestClient(create_app(make_settings(sqlite_url))) as client:
        body = client.get("/health/detailed").json()
        components = client.get("/health/components").json()["components"]
    assert body["status"] in ("healthy", "degraded")
    for name in ("database", "cache", "providers", "graphviz"):
        assert name in body["components"]
        assert "latency_ms" in components[name]
    assert body["components"]["graphviz"]["status"] == "healthy"


def test_redis_down_is_degraded_with_cv006_and_still_serving(sqlite_url):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings = make_settings(sqlite_url, cache={"url": url})
    with TestClient(create_app(settings)) as client:
        response = client.get("/health/detailed")
        assert client.get("/health").status_code == 200
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["components"]["cache"]["status"] == "degraded"
    assert body["components"]["cache"]["cv_code"] == "CV006"
