"""`cloudviz server start` as a user runs it: a real process on a free port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cloudviz.sources.demo import generate_demo_inventory

CLOUDVIZ = str(Path(sys.executable).with_name("cloudviz"))
ADMIN_PASSWORD = "first-admin-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CLOUDVIZ_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        HOME=str(tmp_path),
        # The embedded default: SQLite in the data folder, created on start.
        XDG_DATA_HOME=str(tmp_path / "data"),
        **extra,
    )
    return env


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    env = server_env(tmp_path, CLOUDVIZ_ADMIN_PASSWORD=ADMIN_PASSWORD)
    process = subprocess.Popen(
        [CLOUDVIZ, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"server exited: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("server did not come up within 60 s")
    yield base, process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.mark.slow
def test_health_login_upload_and_diagram_through_a_real_server(server, tmp_path):
    base, _ = server
    assert httpx.get(f"{base}/health").json()["status"] == "ok"

    login = httpx.post(
        f"{base}/auth/login",
        json={"username": "admin", "password": ADMIN_PASSWORD},
    )
    assert login.status_code == 200, login.text
    bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}

    estate = tmp_path / "estate.json"
    estate.write_text(json.dumps(generate_demo_inventory(80, 4).to_dict()))
    with estate.open("rb") as handle:
        uploaded = httpx.post(
            f"{base}/api/v1/snapshots",
            headers=bearer,
            files={"file": ("estate.json", handle)},
        )
    assert uploaded.status_code == 201, uploaded.text
    snapshot_id = uploaded.json()["id"]

    diagram = httpx.get(
        f"{base}/api/v1/snapshots/{snapshot_id}/diagram",
        params={"format": "svg"},
        headers=bearer,
        timeout=60,
    )
    assert diagram.status_code == 200
    assert diagram.headers["content-type"].startswith("image/svg+xml")
    assert diagram.headers["x-request-id"]
    assert "x-ratelimit-limit" in diagram.headers

    detailed = httpx.get(f"{base}/health/detailed").json()
    assert detailed["components"]["database"]["status"] == "healthy"
    assert "cloudviz_http_requests_total" in httpx.get(f"{base}/metrics").text


def test_production_refuses_the_default_jwt_secret(tmp_path):
    result = subprocess.run(
        [CLOUDVIZ, "server", "start", "--port", str(free_port())],
        env=server_env(tmp_path, CLOUDVIZ_AUTH__ENVIRONMENT="production"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Error [CV003]" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_two_workers_share_one_metrics_endpoint(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [CLOUDVIZ, "server", "start", "--port", str(port), "--workers", "2"],
        env=server_env(tmp_path, CLOUDVIZ_ADMIN_PASSWORD=ADMIN_PASSWORD),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: stopping it stops the workers
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        for _ in range(40):
            with httpx.Client() as client:  # new connections spread the workers
                assert client.get(f"{base}/health").status_code == 200
        text = httpx.get(f"{base}/metrics").text
        served = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("cloudviz_http_requests_total{")
            and 'route="/health"' in line
        )
        assert served >= 40
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
