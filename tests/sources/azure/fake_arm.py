"""A small Azure Resource Manager on 127.0.0.1: Resource Graph and a managed
identity endpoint, speaking their REST wire formats over TLS.

- `POST /providers/Microsoft.ResourceGraph/resources?api-version=...` takes
  `{"query", "subscriptions", "options": {"$top", "$skipToken",
  "resultFormat"}}` and answers `{"totalRecords", "count", "data",
  "resultTruncated", "$skipToken", "facets"}`, `page_size` rows at a time
  (a server may send fewer rows than `$top`), with the quota headers
  `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after`.
  A query on `resourcecontainers` lists `subscriptions`; any other query
  returns the rows of the subscriptions asked for. KQL is not evaluated: the
  tests read the query text the client sent.
- `throttle_next` answers that many requests with 429, `Retry-After` and a
  spent quota; a subscription in `forbidden` answers 403 AuthorizationFailed,
  one in `other_tenant` 401 InvalidAuthenticationTokenTenant.
- `GET /msi/token` is the App Service managed identity protocol
  (`IDENTITY_ENDPOINT`, `X-IDENTITY-HEADER`), so `DefaultAzureCredential`
  gets a token from here without leaving the machine.

The certificate comes from a throwaway CA (trustme); clients trust it through
`REQUESTS_CA_BUNDLE`, so the SDK's https-only rule for bearer tokens holds.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import trustme

CLIENT_ID = "5c8d0a3e-0000-4b6f-9a7e-2f1d0c9b8a76"


def _unsigned_jwt(claims: dict[str, str]) -> str:
    def encode(part: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")

    return f"{encode({'alg': 'none', 'typ': 'JWT'})}.{encode(claims)}.fake-signature"


# Shaped like an Entra token of a service principal; never checked but equal.
TOKEN = _unsigned_jwt({"appid": CLIENT_ID, "aud": "https://management.azure.com"})
IDENTITY_HEADER = "fake-identity-header"
GRAPH_PATH = "/providers/Microsoft.ResourceGraph/resources"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    at: float


@dataclass
class ArmState:
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    page_size: int = 1000
    forbidden: set[str] = field(default_factory=set)
    other_tenant: set[str] = field(default_factory=set)
    throttle_next: int = 0
    retry_after: str = "1"
    quota_resets_after: str = "00:00:01"
    quota_remaining: str = "14"
    deny_listing: bool = False
    requests: list[Recorded] = field(default_factory=list)

    def graph_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == GRAPH_PATH]


def _token(offset: int) -> str:
    return base64.b64encode(json.dumps({"$skip": offset}).encode()).decode()


def _offset(token: str | None) -> int:
    if not token:
        return 0
    return int(json.loads(base64.b64decode(token))["$skip"])


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-ms-request-id", "0f3c6a1e-0000-4000-8000-000000000000")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _record(self, body: Any) -> Recorded:
        parsed = urlparse(self.path)
        recorded = Recorded(
            self.command,
            parsed.path,
            parse_qs(parsed.query),
            {key.lower(): value for key, value in self.headers.items()},
            body,
            time.monotonic(),
        )
        self.server.state.requests.append(recorded)
        return recorded

    def do_GET(self) -> None:
        request = self._record(None)
        if request.path != "/msi/token":
            self._send(404, {"error": {"code": "NotFound", "message": request.path}})
            return
        if request.headers.get("x-identity-header") != IDENTITY_HEADER:
            self._send(401, {"error": "unauthorized", "error_description": "header"})
            return
        self._send(
            200,
            {
                "access_token": TOKEN,
                "expires_on": str(int(time.time()) + 3600),
                "resource": request.query["resource"][0],
                "token_type": "Bearer",
                "client_id": "5c8d0a3e-0000-4b6f-9a7e-2f1d0c9b8a76",
            },
        )

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null")
        request = self._record(body)
        state = self.server.state
        if request.path != GRAPH_PATH or "api-version" not in request.query:
            self._send(404, {"error": {"code": "NotFound", "message": request.path}})
            return
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            self._send(
                401,
                {"error": {"code": "InvalidAuthenticationToken", "message": "bad"}},
            )
            return
        if state.throttle_next > 0:
            state.throttle_next -= 1
            self._send(
                429,
                {"error": {"code": "RateLimiting", "message": "Please retry later."}},
                {
                    "Retry-After": state.retry_after,
                    "x-ms-user-quota-remaining": "0",
                    "x-ms-user-quota-resets-after": state.quota_resets_after,
                },
            )
            return
        self._answer_query(body, state)

    def _answer_query(self, body: dict[str, Any], state: ArmState) -> None:
        # A tenant-wide query (no subscriptions named) sees what it may see.
        asked = body.get("subscriptions") or []
        subscriptions = asked or [sub["subscriptionId"] for sub in state.subscriptions]
        for sub in asked:
            if sub in state.forbidden:
                self._send(
                    403,
                    _authorization_failed(
                        "Microsoft.ResourceGraph/resources/read",
                        f"/subscriptions/{sub}",
                    ),
                )
                return
            if sub in state.other_tenant:
                self._send(401, _wrong_tenant())
                return

        query = body["query"]
        if query.startswith("resourcecontainers") and state.deny_listing:
            self._send(
                403,
                _authorization_failed(
                    "Microsoft.Resources/subscriptions/read", "/subscriptions"
                ),
            )
            return
        if query.startswith("resourcecontainers"):
            rows = list(state.subscriptions)
        else:
            rows = [row for sub in subscriptions for row in state.rows.get(sub, [])]
            if "take 1" in query:
                rows = [{"id": row["id"]} for row in rows[:1]]
        options = body.get("options") or {}
        start = _offset(options.get("$skipToken"))
        size = min(int(options.get("$top") or 1000), state.page_size)
        page = rows[start : start + size]
        answer: dict[str, Any] = {
            "totalRecords": len(rows),
            "count": len(page),
            "data": page,
            "facets": [],
            "resultTruncated": "false",
        }
        if start + size < len(rows):
            answer["$skipToken"] = _token(start + size)
        self._send(
            200,
            answer,
            {
                "x-ms-user-quota-remaining": state.quota_remaining,
                "x-ms-user-quota-resets-after": state.quota_resets_after,
            },
        )


def _authorization_failed(action: str, scope: str) -> dict[str, Any]:
    """ARM's refusal, worded as ARM words it."""
    return {
        "error": {
            "code": "AuthorizationFailed",
            "message": (
                f"The client '{CLIENT_ID}' with object id '{CLIENT_ID}' does not "
                f"have authorization to perform action '{action}' over scope "
                f"'{scope}' or the scope is invalid."
            ),
        }
    }


def _wrong_tenant() -> dict[str, Any]:
    return {
        "error": {
            "code": "InvalidAuthenticationTokenTenant",
            "message": "The access token is from the wrong issuer "
            "'https://sts.windows.net/11111111-0000-4000-8000-000000000000/'.",
        }
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: ArmState, context: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.socket = context.wrap_socket(self.socket, server_side=True)


class FakeArm:
    """Start with `with FakeArm(state, tmp_path) as arm:`; `arm.url` is https."""

    def __init__(self, state: ArmState, workdir: Path) -> None:
        self.state = state
        ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        self.ca_bundle = workdir / "fake-arm-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_bundle))
        self._server = _Server(state, context)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def identity_endpoint(self) -> str:
        return f"{self.url}/msi/token"

    def __enter__(self) -> FakeArm:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
