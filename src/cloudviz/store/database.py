"""The database connection: engine, sessions, and the error boundary.

`Database.from_settings(settings)` builds one engine per process from
`database.url` (or `DATABASE_URL`); without either it is SQLite in
`config.user_data_dir()/cloudviz.db`, created on first use, in WAL mode with
foreign keys enforced. PostgreSQL URLs written `postgres://` or
`postgresql://` are rewritten to the psycopg 3 driver.

Sessions follow one rule: whoever opens the unit of work (an API request's
dependency, a CLI command, a job) owns commit and rollback, through
`database.session()`; services and repositories only `flush()`. Connection
failures surface as `DatabaseUnavailableError` (CV005) with what to do, never
as a driver traceback.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.orm import Session, sessionmaker

from cloudviz.config import Settings
from cloudviz.errors import CloudVizError, ConfigurationError, DatabaseUnavailableError

log = logging.getLogger(__name__)

STATUS_HINT = "check DATABASE_URL and that the server is up; `cloudviz db status`"
_PG_DRIVER = "postgresql+psycopg"


def normalize_url(url: str) -> str:
    """The URL with the psycopg 3 driver for bare PostgreSQL schemes."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"{_PG_DRIVER}://{rest}"
    return url


def sanitized_url(url: str | URL) -> str:
    """The URL with its password masked, for messages and `db status`."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "<unparseable URL>"
    return parsed.render_as_string(hide_password=True)


def _parse(url: str) -> URL:
    try:
        return make_url(normalize_url(url))
    except ArgumentError:
        raise ConfigurationError(
            f"database.url {sanitized_url(url)!r} is not a database URL",
            hint="write it like postgresql://user:pass@host:5432/cloudviz "
            "or sqlite:////var/lib/cloudviz/cloudviz.db",
        ) from None


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseUnavailableError(
            f"cannot create the database folder {folder}: {error.strerror}",
            hint="make it writable, or point database.url (DATABASE_URL) elsewhere",
        ) from None


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the API read while a job writes; foreign keys make cascades
    # and relationship integrity hold as they do on PostgreSQL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def dump_json(value: Any) -> str:
    # orjson is several times faster than json for 100,000 property maps; it
    # refuses integers beyond 64 bits, which some exports hold.
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, default=str)


def create_database_engine(url: str, settings: Settings) -> Engine:
    """An engine for `url` with the pool and echo settings applied."""
    parsed = _parse(url)
    options: dict[str, Any] = {
        "echo": settings.database.echo,
        "echo_pool": settings.database.echo_pool,
        "pool_pre_ping": True,
        "json_serializer": dump_json,
        "json_deserializer": orjson.loads,
    }
    if not settings.database.enable_query_cache:
        # SQLAlchemy's compiled-statement cache; off trades CPU for memory.
        options["query_cache_size"] = 0
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _make_folder(Path(database).expanduser().parent)
        options["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        options["pool_size"] = settings.database.pool_size
        options["max_overflow"] = settings.database.max_overflow
        if parsed.get_backend_name() == "postgresql":
            options["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(parsed, **options)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def translate_database_error(
    error: BaseException, url: str | URL
) -> CloudVizError | None:
    """The CV005 error a driver failure means for a user, or None.

    None means the failure is not about reaching the database (a constraint
    violation, a bug) and the caller should let it propagate.
    """
    if not isinstance(error, DBAPIError) or isinstance(error, IntegrityError):
        return None
    original = error.orig
    text = str(original).strip()
    first_line = text.splitlines()[0] if text else type(original).__name__
    sqlstate = getattr(original, "sqlstate", None)
    parsed = make_url(url) if isinstance(url, str) else url
    name = parsed.database or "cloudviz"

    if sqlstate == "3D000" or f'database "{name}" does not exist' in text:
        return DatabaseUnavailableError(
            f'database "{name}" does not exist on {parsed.host or "the server"}',
            hint=f"create it with `createdb {name}` (or CREATE DATABASE {name};), "
            "then run `cloudviz db init`",
        )
    if sqlstate == "42P01" or (
        isinstance(error, OperationalError | ProgrammingError)
        and "no such table" in text.lower()
    ):
        return DatabaseUnavailableError(
            "the database has no CloudViz tables yet (or misses some)",
            hint="run `cloudviz db init` to create them, or "
            "`cloudviz db upgrade head` after an upgrade",
        )
    if isinstance(error, OperationalError) or error.connection_invalidated:
        return DatabaseUnavailableError(
            f"cannot reach the database at {sanitized_url(parsed)}: {first_line}",
            hint=STATUS_HINT,
        )
    if isinstance(original, sqlite3.DatabaseError):
        return DatabaseUnavailableError(
            f"the SQLite database {parsed.database} cannot be used: {first_line}",
            hint="check that the file is a CloudViz database and is writable",
        )
    return None


class Database:
    """One engine and its session factory; share one per process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(create_database_engine(settings.database.effective_url(), settings))

    @classmethod
    def from_url(cls, url: str, settings: Settings | None = None) -> Database:
        return cls(create_database_engine(url, settings or Settings()))

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        return sanitized_url(self.engine.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back on error.

        Database connection failures inside the block become CV005 errors.
        """
        session = self._sessions()
        try:
            with self.translated_errors():
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def new_session(self) -> Session:
        """A bare session for callers that manage the transaction themselves."""
        return self._sessions()

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """Turn driver failures about reaching the database into CV005."""
        try:
            yield
        except DBAPIError as error:
            translated = translate_database_error(error, self.engine.url)
            if translated is None:
                raise
            log.debug("database.unavailable url=%s", self.safe_url)
            raise translated from None

    def ping(self) -> None:
        """Open a connection and run `SELECT 1`; CV005 when that fails."""
        with self.translated_errors(), self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def table_names(self) -> set[str]:
        with self.translated_errors(), self.engine.connect() as connection:
            return set(inspect(connection).get_table_names())

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings) -> Database:
    """The database of `settings`, checked reachable and at the current schema.

    The embedded SQLite default (no `database.url`) is created and migrated
    to the current schema on first use, so a single-machine install needs no
    set-up step; a configured database must be migrated with `cloudviz db`.
    """
    from cloudviz.store.schema import ensure_current_schema

    database = Database.from_settings(settings)
    embedded = settings.database.url is None
    ensure_current_schema(database, upgrade_schema=embedded)
    return database
