"""A Cloud Asset API on 127.0.0.1 speaking the REST wire format, for tests.

It serves `GET /v1/{parent}/assets` (ListAssets: `assetTypes`, `contentType`,
`pageSize`, `pageToken` → `{"assets", "nextPageToken", "readTime"}`) from
assets written by hand, in pages of at most `page_limit`, and a token endpoint
for service-account keys. Failures are scripted per scope: 403
PERMISSION_DENIED, 403 SERVICE_DISABLED, and 429 with `Retry-After` on chosen
pages. Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "gcp"
READ_TIME = "2026-12-03T12:00:00.000000Z"

# The export spells the Asset envelope in snake_case; the REST wire format in
# camelCase. The API resource inside `data` is the same in both.
_WIRE_NAMES = {
    "asset_type": "assetType",
    "update_time": "updateTime",
    "discovery_name": "discoveryName",
    "discovery_document_uri": "discoveryDocumentUri",
    "resource_url": "resourceUrl",
}


def wire_asset(export_row: dict[str, Any]) -> dict[str, Any]:
    """An export NDJSON row as the REST API sends the same asset."""
    asset = {_WIRE_NAMES.get(k, k): v for k, v in export_row.items()}
    asset["resource"] = {
        _WIRE_NAMES.get(k, k): v for k, v in export_row["resource"].items()
    }
    return asset


def shop_assets() -> list[dict[str, Any]]:
    """The hand-written shop estate of the export fixture, on the wire."""
    lines = (FIXTURES / "export-shop.ndjson").read_text().splitlines()
    return [wire_asset(json.loads(line)) for line in lines if line.strip()]


def _error(
    code: int,
    status: str,
    message: str,
    reason: str | None = None,
    consumer: str | None = None,
) -> dict:
    details = []
    if reason:
        metadata = {"service": "cloudasset.googleapis.com"}
        if consumer:
            metadata["consumer"] = f"projects/{consumer}"
        details.append(
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": reason,
                "domain": "googleapis.com",
                "metadata": metadata,
            }
        )
    return {
        "error": {
            "code": code,
            "message": message,
            "status": status,
            "details": details,
        }
    }


@dataclass
class FakeCloudAsset:
    """What the fake serves and what it saw."""

    scopes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    page_limit: int = 10
    denied: set[str] = field(default_factory=set)
    # Scopes answered as if the caller's project had the API disabled, or the
    # caller were user credentials without a quota project.
    disabled: set[str] = field(default_factory=set)
    no_quota_project: set[str] = field(default_factory=set)
    caller_project_number: str = "482915730264"
    # (scope, page token) answered once with 429 and this Retry-After.
    throttled: dict[tuple[str, str], str] = field(default_factory=dict)
    # Scopes answered with 429 (Retry-After: 0) every time: out of quota.
    exhausted: set[str] = field(default_factory=set)
    requests: list[dict[str, Any]] = field(default_factory=list)
    # Seconds each page takes to answer, as a real server's work would.
    latency: float = 0.0
    url: str = ""

    def respond(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict, dict]:
        if not path.startswith("/v1/") or not path.endswith("/assets"):
            return 404, _error(404, "NOT_FOUND", f"no route {path}"), {}
        scope = path[len("/v1/") : -len("/assets")]
        token = query.get("pageToken", [""])[0]
        if scope in self.disabled:
            number = self.caller_project_number
            message = (
                f"Cloud Asset API has not been used in project {number} before or "
                "it is disabled. Enable it by visiting https://console.developers."
                "google.com/apis/api/cloudasset.googleapis.com/overview?project="
                f"{number} then retry."
            )
            body = _error(403, "PERMISSION_DENIED", message, "SERVICE_DISABLED", number)
            return 403, body, {}
        if scope in self.no_quota_project:
            message = (
                "Your application is authenticating by using local Application "
                "Default Credentials. The cloudasset.googleapis.com API requires a "
                "quota project, which is not set by default."
            )
            gcloud = "764086051850"  # the project gcloud's own client belongs to
            body = _error(403, "PERMISSION_DENIED", message, "SERVICE_DISABLED", gcloud)
            return 403, body, {}
        if scope in self.denied:
            message = "The caller does not have permission"
            return 403, _error(403, "PERMISSION_DENIED", message), {}
        if scope in self.exhausted:
            body = _error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric")
            return 429, body, {"Retry-After": "0"}
        if (scope, token) in self.throttled:
            retry_after = self.throttled.pop((scope, token))
            body = _error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric")
            return 429, body, {"Retry-After": retry_after}
        if scope not in self.scopes:
            return 404, _error(404, "NOT_FOUND", f"{scope} not found"), {}

        wanted = set(query.get("assetTypes", []))
        assets = [
            a for a in self.scopes[scope] if not wanted or a["assetType"] in wanted
        ]
        size = min(self.page_limit, int(query.get("pageSize", ["1000"])[0]) or 1000)
        start = int(token or 0)
        body: dict[str, Any] = {
            "assets": assets[start : start + size],
            "readTime": READ_TIME,
        }
        if start + size < len(assets):
            body["nextPageToken"] = str(start + size)
        return 200, body, {}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeCloudAsset

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.fake.requests.append(
            {
                "path": parts.path,
                "query": query,
                "authorization": self.headers.get("Authorization", ""),
            }
        )
        if self.fake.latency:
            time.sleep(self.fake.latency)
        status, body, headers = self.fake.respond(parts.path, query)
        self._send(status, body, headers)

    def do_POST(self) -> None:
        # The OAuth token endpoint a credentials file's token_uri names.
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.fake.requests.append({"path": self.path, "method": "POST"})
        token = {"access_token": "fake-access-token", "expires_in": 3600}
        self._send(200, {**token, "token_type": "Bearer"}, {})

    def _send(self, status: int, body: dict, headers: dict[str, str]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return None


class FakeCloudAssetServer:
    """Runs a `FakeCloudAsset` on an ephemeral loopback port."""

    def __init__(self, fake: FakeCloudAsset) -> None:
        handler = type("Handler", (_Handler,), {"fake": fake})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.fake = fake
        fake.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FakeCloudAsset:
        self._thread.start()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
