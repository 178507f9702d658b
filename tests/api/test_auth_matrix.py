"""Every protected route × every kind of caller → the status it must answer.

Callers: no credentials, the three roles by bearer token, an API key holding
the route's permission and one holding every permission but that one.
Objects a route acts on (a snapshot, a user, an API key) are created fresh
for each call, so destructive routes can be tested like the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloudviz.api import create_app
from cloudviz.auth.permissions import ALL_PERMISSIONS, ROLE_PERMISSIONS
from cloudviz.store.api_keys import ApiKeyService
from cloudviz.store.database import Database
from cloudviz.store.jobs import JobService
from cloudviz.store.schema import upgrade
from cloudviz.store.snapshots import SnapshotService
from cloudviz.store.users import UserService
from tests.api.conftest import Api, make_settings, seed_users
from tests.factories import small_network

ANY = "any"  # any authenticated caller


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    permission: str | None  # None: open to anonymous callers
    ok: int
    body: Any = None
    bearer_only: bool = False  # refuses API keys (token endpoints)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ROUTES = [
    Route("GET", "/health", None, 200),
    Route("GET", "/health/detailed", None, 200),
    Route("GET", "/health/components", None, 200),
    Route("GET", "/metrics", None, 200),
    Route("GET", "/auth/verify", ANY, 200, bearer_only=True),
    Route("GET", "/api/v1/status", ANY, 200),
    Route("GET", "/api/v1/health", ANY, 200),
    Route("GET", "/api/v1/auth/permissions", ANY, 200),
    Route("GET", "/api/v1/auth/roles", ANY, 200),
    Route("GET", "/api/v1/auth/api-keys", ANY, 200),
    # A caller may only hand a key permissions they hold themselves.
    Route("POST", "/api/v1/auth/api-keys", "read", 201, "read-key"),
    Route("DELETE", "/api/v1/auth/api-keys/{own_key}", ANY, 200),
    Route("GET", "/api/v1/users", "admin", 200),
    Route("POST", "/api/v1/users", "admin", 201, "new-user"),
    Route("GET", "/api/v1/users/{user}", "admin", 200),
    Route("DELETE", "/api/v1/users/{user}", "admin", 204),
    Route("PUT", "/api/v1/users/{user}/roles", "admin", 200, {"roles": ["editor"]}),
    Route(
        "POST",
        "/api/v1/users/{user}/permissions",
        "admin",
        200,
        {"permissions": ["extract"]},
    ),
    Route("GET", "/api/v1/snapshots", "read", 200),
    Route("POST", "/api/v1/snapshots", "write", 201, "inventory"),
    Route("GET", "/api/v1/snapshots/{snapshot}", "read", 200),
    Route("DELETE", "/api/v1/snapshots/{snapshot}", "write", 204),
    Route("GET", "/api/v1/snapshots/{snapshot}/resources", "read", 200),
    Route("GET", "/api/v1/snapshots/{snapshot}/diff/{snapshot2}", "read", 200),
    Route("GET", "/api/v1/snapshots/{snapshot}/diff?against={snapshot2}", "read", 200),
    Route("GET", "/api/v1/snapshots/{snapshot}/diagram?format=json", "visualize", 200),
]

ROUTES += [
    Route("POST", "/api/v1/extract/aws", "extract", 202, {"regions": ["eu-west-1"]}),
    Route("GET", "/api/v1/jobs", "read", 200),
    Route("GET", "/api/v1/jobs/{job}", "read", 200),
    Route("POST", "/api/v1/jobs/{job}/cancel", "extract", 200),
    Route("DELETE", "/api/v1/jobs/{job}", "extract", 200),
]

CALLERS = ["anonymous", "viewer", "editor", "admin", "key_with", "key_without"]


def expected_status(route: Route, caller: str) -> int:
    if route.permission is None:
        return route.ok
    if caller == "anonymous":
        return 401
    if caller.startswith("key"):
        if route.bearer_only:
            return 401
        if route.permission == ANY:
            return route.ok
        return route.ok if caller == "key_with" else 403
    allowed = route.permission == ANY or route.permission in ROLE_PERMISSIONS[caller]
    return route.ok if allowed else 403


@dataclass
class Matrix:
    api: Api
    counter: int = 0

    def unique(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    def snapshot(self) -> str:
        with self.api.database.session() as session:
            return SnapshotService(session).create_from_inventory(small_network()).id

    def queued_job(self) -> str:
        with self.api.database.session() as session:
            return JobService(session).create("extract", {"provider": "aws"}).id

    def user(self) -> str:
        with self.api.database.session() as session:
            users = UserService(session)
            return str(users.create(self.unique("u"), "password-123", ["viewer"]).id)

    def key_for(self, permissions: list[str]) -> str:
        with self.api.database.session() as session:
            created = ApiKeyService(session).create(
                self.unique("key"), permissions, self.api.user_ids["admin"]
            )
        return created.key

    def own_key(self, caller_headers: dict[str, str]) -> str:
        # A key of the caller's own, so revoking it is allowed to them.
        if not caller_headers:
            return "999999"
        mine = self.api.client.get("/api/v1/auth/permissions", headers=caller_headers)
        response = self.api.client.post(
            "/api/v1/auth/api-keys",
            headers=caller_headers,
            json={
                "name": self.unique("own"),
                "permissions": mine.json()["permissions"],
            },
        )
        return str(response.json()["id"]) if response.status_code == 201 else "999999"

    def headers(self, caller: str, route: Route) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        if caller.startswith("key"):
            needed = route.permission if route.permission not in (None, ANY) else "read"
            if caller == "key_with":
                permissions = [needed]
            else:
                permissions = sorted(ALL_PERMISSIONS - {needed})
            return {"X-API-Key": self.key_for(permissions)}
        return self.api.auth(caller)

    def body(self, route: Route) -> Any:
        if route.body == "inventory":
            return small_network().to_dict()
        if route.body == "read-key":
            return {"name": self.unique("k"), "permissions": ["read"]}
        if route.body == "new-user":
            return {"username": self.unique("n"), "password": "password-123"}
        return route.body

    def call(self, route: Route, caller: str) -> int:
        headers = self.headers(caller, route)
        fill: dict[str, Callable[[], str]] = {
            "snapshot": self.snapshot,
            "snapshot2": self.snapshot,
            "user": self.user,
            "job": self.queued_job,
            "own_key": lambda: self.own_key(headers),
        }
        path = route.path
        for name, make in fill.items():
            if "{" + name + "}" in path:
                path = path.replace("{" + name + "}", make())
        response = self.api.client.request(
            route.method, path, headers=headers, json=self.body(route)
        )
        return response.status_code


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    url = f"sqlite:///{tmp_path_factory.mktemp('matrix')}/matrix.db"
    database = Database.from_url(url)
    upgrade(database, "head")
    user_ids = seed_users(database)
    with TestClient(create_app(make_settings(url))) as client:
        yield Matrix(Api(client, database, user_ids=user_ids))
    database.dispose()


CASES = [
    pytest.param(route, caller, id=f"{route}-{caller}")
    for route in ROUTES
    for caller in CALLERS
]


@pytest.mark.parametrize(("route", "caller"), CASES)
def test_auth_matrix(matrix: Matrix, route: Route, caller: str) -> None:
    assert matrix.call(route, caller) == expected_status(route, caller)


def test_every_api_route_is_in_the_matrix(matrix: Matrix) -> None:
    listed = {(r.method, r.path.split("?")[0]) for r in ROUTES}
    normalised = {
        (method, path.replace("{own_key}", "{key_id}").replace("{user}", "{user_id}"))
        for method, path in listed
    }
    normalised = {
        (
            m,
            p.replace("{snapshot2}", "{other_id}").replace(
                "{snapshot}", "{snapshot_id}"
            ),
        )
        for m, p in normalised
    }
    app_routes = {
        (method, route.path)
        for route in matrix.api.client.app.routes
        for method in getattr(route, "methods", ()) or ()
        if method != "HEAD"
        and not route.path.startswith(("/docs", "/openapi", "/redoc"))
    }
    untested = (
        app_routes
        - normalised
        - {("POST", "/auth/login"), ("POST", "/auth/refresh"), ("POST", "/auth/logout")}
        # The browser UI's redirect to its static page: public by design.
        - {("GET", "/")}
    )
    assert not untested, f"routes missing from the auth matrix: {sorted(untested)}"
