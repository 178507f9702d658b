"""The request middleware and the error envelope, through a real app."""

from __future__ import annotations

import asyncio
import time

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from cloudviz.api import create_app
from cloudviz.errors import NotFoundError
from tests.api.conftest import make_settings

ENVELOPE_KEYS = {"error", "code", "cv_code", "request_id"}


def app_with_probe_routes(tmp_path, **api: object) -> FastAPI:
    """Our app plus three routes that misbehave on purpose."""
    settings = make_settings(
        f"sqlite:///{tmp_path}/m.db", api={"rate_limiting": {"enabled": True}, **api}
    )
    app = create_app(settings)

    @app.get("/probe/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(5)
        return {"done": "late"}

    @app.get("/probe/crash")
    def crash() -> None:
        raise RuntimeError("secret internal detail")

    @app.get("/probe/missing")
    def missing() -> None:
        raise NotFoundError("snapshot 42 not found", hint="list snapshots")

    @app.post("/probe/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/probe/json")
    def json_body(payload: dict[str, int]) -> dict[str, int]:
        return payload

    return app


@pytest.fixture
def client(tmp_path):
    app = app_with_probe_routes(tmp_path, max_request_size=1000, timeout=30)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def impatient_client(tmp_path):
    app = app_with_probe_routes(tmp_path, timeout=0.5)
    with TestClient(app) as c:
        yield c


def test_every_response_has_a_request_id_and_rate_headers(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert len(response.headers["x-request-id"]) == 32
    assert int(response.headers["x-ratelimit-limit"]) == 1000
    assert int(response.headers["x-ratelimit-remaining"]) < 1000
    assert int(response.headers["x-ratelimit-reset"]) >= int(time.time())


def test_a_sane_incoming_request_id_is_echoed_and_a_bad_one_replaced(client):
    response = client.get("/health", headers={"X-Request-ID": "trace-123.a"})
    assert response.headers["x-request-id"] == "trace-123.a"
    response = client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"


def test_cloudviz_errors_use_the_envelope(client):
    response = client.get("/probe/missing", headers={"X-Request-ID": "r1"})
    assert response.status_code == 404
    body = response.json()
    assert body == {
        "error": "snapshot 42 not found",
        "code": 404,
        "cv_code": "CV009",
        "request_id": "r1",
        "hint": "list snapshots",
    }
    assert response.headers.get_list("x-request-id") == ["r1"]


def test_unknown_route_and_wrong_method(client):
    assert client.get("/no/such/thing").json()["cv_code"] == "CV009"
    response = client.delete("/health")
    assert response.status_code == 405
    assert response.json()["cv_code"] == "CV010"


def test_validation_errors_are_422_cv010(client):
    response = client.post("/probe/json", json={"a": "not a number"})
    assert response.status_code == 422
    body = response.json()
    assert body["cv_code"] == "CV010"
    assert "a" in body["error"]
    assert body.keys() >= ENVELOPE_KEYS


def test_an_unexpected_exception_is_a_500_without_details(client):
    response = client.get("/probe/crash")
    assert response.status_code == 500
    body = response.json()
    assert body.keys() >= ENVELOPE_KEYS
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]


def test_a_slow_request_is_cut_off_with_504(impatient_client):
    started = time.perf_counter()
    response = impatient_client.get("/probe/slow")
    assert time.perf_counter() - started < 3
    assert response.status_code == 504
    assert response.json()["cv_code"] == "CV008"


def test_a_declared_large_body_is_refused_with_413(client):
    response = client.post("/probe/echo", content=b"x" * 2000)
    assert response.status_code == 413
    assert response.json()["cv_code"] == "CV010"


def test_a_streamed_large_body_is_refused_with_413(client):
    def chunks():
        for _ in range(30):
            yield b"y" * 100

    response = client.post("/probe/echo", content=chunks())
    assert response.status_code == 413
    assert response.json()["code"] == 413


def test_a_streamed_large_json_body_is_413_not_400(client):
    def chunks():
        yield b'{"a": 1, "padding": "'
        for _ in range(30):
            yield b"z" * 100
        yield b'"}'

    response = client.post(
        "/probe/json", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_a_body_within_the_limit_passes(client):
    assert client.post("/probe/echo", content=b"x" * 900).json() == {"size": 900}


def test_metrics_count_requests_by_route_template(client):
    client.get("/probe/missing")
    text = client.get("/metrics").text
    assert 'cloudviz_http_requests_total{method="GET",route="/probe/missing",' in text
    assert "cloudviz_http_request_duration_seconds_bucket" in text
    assert "cloudviz_rate_limited_requests_total" in text


def test_head_works_wherever_get_does(client):
    response = client.head("/health")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0
    assert "x-ratelimit-limit" in response.headers
