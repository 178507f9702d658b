"""Faults: Redis stopping and the database vanishing, then coming back.

Both use services of their own (a redis-server started on a free port, a
PostgreSQL database created for the test) so nothing shared is disturbed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from cloudviz.api import create_app
from cloudviz.store.database import Database
from cloudviz.store.schema import upgrade
from tests.api.conftest import Api, make_settings, seed_users
from tests.api.test_routes import upload
from tests.db_fixtures import (
    ADMIN_URL,
    create_postgres_database,
    drop_postgres_database,
)
from tests.factories import small_network


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A private redis-server on loopback that a test can stop and start."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.mark.redis
def test_redis_stopping_degrades_health_and_nothing_else(tmp_path, private_redis):
    url = f"sqlite:///{tmp_path}/faults.db"
    database = Database.from_url(url)
    upgrade(database, "head")
    user_ids = seed_users(database)
    settings = make_settings(
        url,
        cache={"url": private_redis.url},
        api={"rate_limiting": {"enabled": True, "default_rate": "1000/minute"}},
    )
    with TestClient(create_app(settings)) as client:
        api = Api(client, database, user_ids=user_ids)
        snapshot = upload(api, small_network())
        diagram_path = f"/api/v1/snapshots/{snapshot['id']}/diagram"
        assert client.get(diagram_path, headers=api.auth("viewer")).status_code == 200
        healthy = client.get("/health/detailed").json()
        assert healthy["components"]["cache"]["status"] == "healthy"

        private_redis.stop()
        degraded = client.get("/health/detailed")
        assert degraded.status_code == 200
        body = degraded.json()
        assert body["status"] == "degraded"
        assert body["components"]["cache"]["cv_code"] == "CV006"
        served = client.get(diagram_path, headers=api.auth("viewer"))
        assert served.status_code == 200
        assert "x-ratelimit-remaining" in served.headers
        listed = client.get("/api/v1/snapshots", headers=api.auth("viewer"))
        assert listed.status_code == 200

        private_redis.start()
        recovered = client.get("/health/detailed").json()
        assert recovered["components"]["cache"]["status"] == "healthy"
    database.dispose()


def _admin() -> psycopg.Connection:
    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)


def _rename(old: str, new: str) -> None:
    with _admin() as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (old,),
        )
        connection.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(old), sql.Identifier(new)
            )
        )


@pytest.mark.postgres
def test_database_outage_is_503_cv005_then_recovers_without_restart():
    url = create_postgres_database()
    name = url.rpartition("/")[2]
    hidden = f"{name}_off_{uuid.uuid4().hex[:4]}"
    database = Database.from_url(url)
    try:
        upgrade(database, "head")
        user_ids = seed_users(database)
        with TestClient(create_app(make_settings(url))) as client:
            api = Api(client, database, user_ids=user_ids)
            headers = api.auth("viewer")
            assert client.get("/api/v1/snapshots", headers=headers).status_code == 200

            database.dispose()
            _rename(name, hidden)
            try:
                down = client.get("/api/v1/snapshots", headers=headers)
                assert down.status_code == 503
                assert down.json()["cv_code"] == "CV005"
                health = client.get("/health/detailed")
                assert health.status_code == 503
                assert health.json()["cv_code"] == "CV005"
                assert health.json()["components"]["database"]["status"] == "unhealthy"
                assert client.get("/health").status_code == 200
            finally:
                _rename(hidden, name)

            back = client.get("/api/v1/snapshots", headers=headers)
            assert back.status_code == 200
            assert client.get("/health/detailed").status_code == 200
    finally:
        database.dispose()
        drop_postgres_database(url)
