"""Fixtures of the API tests: an app on SQLite and on PostgreSQL, with users.

`api` is a running app (TestClient) on a migrated, empty database, with three
users (`admin`, `editor`, `viewer`, password `password-123`) and helpers to
log in and to mint API keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloudviz.api import create_app
from cloudviz.config import Settings
from cloudviz.store.api_keys import ApiKeyService
from cloudviz.store.database import Database
from cloudviz.store.schema import upgrade
from cloudviz.store.users import UserService
from tests.db_fixtures import *  # noqa: F403
from tests.db_fixtures import _empty_tables

PASSWORD = "password-123"
ROLES = ("admin", "editor", "viewer")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_settings(database_url: str, **sections: Any) -> Settings:
    """Test settings: the given database, generous limits unless overridden."""
    data: dict[str, Any] = {
        "database": {"url": database_url},
        "api": {"rate_limiting": {"enabled": False}},
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return Settings.model_validate(data)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/api.db"


@dataclass
class Api:
    """A running app and its users' credentials."""

    client: TestClient
    database: Database
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)

    def login(self, username: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.client.post(
            "/auth/login", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def auth(self, role: str) -> dict[str, str]:
        if role not in self.tokens:
            self.tokens[role] = self.login(role)["access_token"]
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def api_key(self, permissions: list[str], owner: str = "admin") -> str:
        with self.database.session() as session:
            created = ApiKeyService(session).create(
                f"test-{len(permissions)}-{'-'.join(permissions)}",
                permissions,
                self.user_ids[owner],
            )
        return created.key


def seed_users(database: Database) -> dict[str, int]:
    with database.session() as session:
        users = UserService(session)
        return {role: users.create(role, PASSWORD, [role]).id for role in ROLES}


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def api(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Api]:
    """The app on each database backend, with seeded users."""
    if request.param == "sqlite":
        url = sqlite_url
        database = Database.from_url(url)
        upgrade(database, "head")
    else:
        database = request.getfixturevalue("migrated_postgres")
        _empty_tables(database)
        url = database.engine.url.render_as_string(hide_password=False)
    user_ids = seed_users(database)
    with TestClient(create_app(make_settings(url))) as client:
        yield Api(client, database, user_ids=user_ids)
    if request.param == "sqlite":
        database.dispose()


@pytest.fixture
def sqlite_api(sqlite_url: str) -> Iterator[Api]:
    """The app on SQLite only, for tests that need no backend matrix."""
    database = Database.from_url(sqlite_url)
    upgrade(database, "head")
    user_ids = seed_users(database)
    with TestClient(create_app(make_settings(sqlite_url))) as client:
        yield Api(client, database, user_ids=user_ids)
    database.dispose()
