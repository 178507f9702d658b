"""Database fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (override with
CLOUDVIZ_TEST_POSTGRES_URL). Each test session creates its own uniquely named
database and drops it at the end; each test gets empty tables. Tests on
PostgreSQL are skipped only when the server cannot be reached.

Import the fixtures into a test package's conftest.py:
`from tests.db_fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import text

from cloudviz.store.database import Database
from cloudviz.store.models import Base
from cloudviz.store.schema import upgrade

ADMIN_URL = os.environ.get(
    "CLOUDVIZ_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL unreachable at {ADMIN_URL}: {error}")


def _url_for(name: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


def create_postgres_database() -> str:
    """A new empty database's URL; drop it with `drop_postgres_database`."""
    name = f"cloudviz_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _url_for(name)


def drop_postgres_database(url: str) -> None:
    name = url.rpartition("/")[2]
    with _admin_connection() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this one test."""
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[Database]:
    url = create_postgres_database()
    database = Database.from_url(url)
    upgrade(database, "head")
    yield database
    database.dispose()
    drop_postgres_database(url)


def _empty_tables(database: Database) -> None:
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Database]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        sqlite = Database.from_url(f"sqlite:///{tmp_path}/cloudviz.db")
        upgrade(sqlite, "head")
        yield sqlite
        sqlite.dispose()
        return
    postgres: Database = request.getfixturevalue("migrated_postgres")
    _empty_tables(postgres)
    yield postgres
    _empty_tables(postgres)
