"""Azure tests: the SDK against a fake Resource Manager on loopback, nothing
else. Every socket connection and name lookup is checked: one that would
leave 127.0.0.1/::1 fails the test."""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core.credentials import AccessToken

from tests.sources.azure.fake_arm import TOKEN, ArmState, FakeArm

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "azure"
SHOP = "4b1f7c2a-9d3e-4e5f-8a6b-1c2d3e4f5a6b"
HUB = "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b"
LOCKED = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"

_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}


def _is_loopback(host: Any) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return str(host) in _LOCAL_NAMES


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Refuse, and report, any connection or lookup beyond loopback."""
    escaped: list[Any] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(
            address[0]
        ):
            escaped.append(address)
            raise ConnectionRefusedError(f"test blocked a connection to {address}")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            escaped.append(host)
            raise socket.gaierror(f"test blocked a lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield escaped
    assert not escaped, f"traffic tried to leave loopback: {escaped}"


@pytest.fixture(autouse=True)
def no_ambient_azure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credential of the machine running the tests may be found."""
    for name in (
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_TENANT_ID",
        "AZURE_FEDERATED_TOKEN_FILE",
        "AZURE_USERNAME",
        "IDENTITY_ENDPOINT",
        "IDENTITY_HEADER",
        "MSI_ENDPOINT",
        "IMDS_ENDPOINT",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "https_proxy",
        "http_proxy",
        "CLOUDVIZ_CONFIG",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(tmp_path / "home" / ".azure"))
    # Developer sign-ins (az, pwsh, azd) run programs; there are none here.
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.chdir(tmp_path)


class StaticTokenCredential:
    """The identity edge, faked: a `TokenCredential` with a fixed token."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.asked: list[dict[str, Any]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.asked.append({"scopes": scopes, **kwargs})
        return AccessToken(self.token, 4_102_444_800)


@pytest.fixture
def credential() -> StaticTokenCredential:
    return StaticTokenCredential()


def graph_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((FIXTURES / "graph-rows.json").read_text())
    return rows


@pytest.fixture
def arm_state() -> ArmState:
    rows = graph_rows()
    return ArmState(
        subscriptions=[
            {
                "id": f"/subscriptions/{SHOP}",
                "subscriptionId": SHOP,
                "name": "shop-prod",
                "tenantId": "t",
                "state": "Enabled",
            },
            {
                "id": f"/subscriptions/{HUB}",
                "subscriptionId": HUB,
                "name": "network-hub",
                "tenantId": "t",
                "state": "Enabled",
            },
            {
                "id": f"/subscriptions/{LOCKED}",
                "subscriptionId": LOCKED,
                "name": "finance-locked",
                "tenantId": "t",
                "state": "Enabled",
            },
        ],
        rows={
            SHOP: [row for row in rows if row["subscriptionId"] == SHOP],
            HUB: [row for row in rows if row["subscriptionId"] == HUB],
            LOCKED: [],
        },
        page_size=10,
        forbidden={LOCKED},
    )


@pytest.fixture
def arm(
    arm_state: ArmState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeArm]:
    with FakeArm(arm_state, tmp_path) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_bundle))
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        monkeypatch.setenv("CLOUDVIZ_PROVIDERS__AZURE__ENDPOINT", server.url)
        yield server
