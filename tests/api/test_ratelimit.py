"""Rate limits: the guide's 429 body, headers, Redis sharing and fallback."""

from __future__ import annotations

import socket
import uuid

import pytest
from fastapi.testclient import TestClient
from limits import parse

from cloudviz.api import create_app
from cloudviz.api.ratelimit import RequestRateLimiter, client_key, per_second
from cloudviz.config import RateLimitSettings
from tests.api.conftest import make_settings

REDIS_URL = "redis://127.0.0.1:6379/11"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def client_for(tmp_path):
    def build(rates: dict[str, object], redis_url: str | None = None) -> TestClient:
        cache = {"url": redis_url} if redis_url else {}
        settings = make_settings(
            f"sqlite:///{tmp_path}/r.db", api={"rate_limiting": rates}, cache=cache
        )
        return TestClient(create_app(settings))

    return build


def test_the_fourth_request_over_a_limit_of_three_is_refused(client_for):
    with client_for({"default_rate": "3/minute"}) as client:
        remaining = [
            int(client.get("/health").headers["x-ratelimit-remaining"])
            for _ in range(3)
        ]
        assert remaining == [2, 1, 0]
        response = client.get("/health")
    assert response.status_code == 429
    body = response.json()
    assert body["error"] == "Rate limit exceeded"
    assert body["code"] == 429
    assert 1 <= body["retry_after"] <= 60
    assert response.headers["retry-after"] == str(body["retry_after"])
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["x-request-id"] == body["request_id"]


def test_burst_rate_caps_requests_per_second(client_for):
    # 120/minute is 2 per second; five quick requests span at most two
    # one-second windows, so at least one is refused.
    with client_for({"default_rate": "100/minute", "burst_rate": "120/minute"}) as c:
        statuses = [c.get("/health").status_code for _ in range(5)]
    assert statuses[0] == 200
    assert 429 in statuses


def test_clients_are_counted_apart(client_for):
    with client_for({"default_rate": "1/minute"}) as client:
        assert client.get("/health", headers={"X-API-Key": "a"}).status_code == 200
        assert client.get("/health", headers={"X-API-Key": "b"}).status_code == 200
        assert client.get("/health", headers={"X-API-Key": "a"}).status_code == 429


def test_disabled_rate_limiting_adds_no_headers(client_for):
    with client_for({"enabled": False}) as client:
        response = client.get("/health")
    assert "x-ratelimit-limit" not in response.headers


def test_client_key_never_holds_the_api_key():
    key = client_key("cvk_secret_value", None, "10.0.0.1")
    assert "secret" not in key
    assert client_key(None, "alice", "10.0.0.1") == "user:alice"
    assert client_key(None, None, "10.0.0.1") == "addr:10.0.0.1"


def test_per_second_rounds_up_to_at_least_one():
    assert per_second(parse("2000/minute")).amount == 34
    assert per_second(parse("1/hour")).amount == 1


@pytest.mark.redis
@pytest.mark.anyio
async def test_redis_counters_are_shared_between_limiters():
    settings = RateLimitSettings(default_rate="2/minute")
    first = RequestRateLimiter(settings, REDIS_URL)
    second = RequestRateLimiter(settings, REDIS_URL)
    client = f"test:{uuid.uuid4().hex}"
    assert (await first.check(client)).allowed
    assert (await second.check(client)).allowed
    assert not (await first.check(client)).allowed
    assert first.backend == "redis"


@pytest.mark.redis
def test_redis_limits_through_the_app(client_for):
    with client_for({"default_rate": "2/minute"}, REDIS_URL) as client:
        key = {"X-API-Key": uuid.uuid4().hex}
        statuses = [client.get("/health", headers=key).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.anyio
async def test_unreachable_redis_falls_back_to_memory():
    settings = RateLimitSettings(default_rate="2/minute")
    limiter = RequestRateLimiter(settings, f"redis://127.0.0.1:{closed_port()}/0")
    decisions = [await limiter.check("someone") for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert limiter.backend == "memory"


def test_unreachable_redis_never_fails_a_request(client_for):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    with client_for({"default_rate": "5/minute"}, url) as client:
        responses = [client.get("/health") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[-1].headers["x-ratelimit-remaining"] == "2"
