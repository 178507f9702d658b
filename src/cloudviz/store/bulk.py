"""Bulk loading rows inside the caller's transaction, as fast as each backend allows.

PostgreSQL gets `COPY ... FROM STDIN` (one stream, no per-row statement);
SQLite one prepared INSERT run by the driver's `executemany`. Both go
through the session's own connection, so they commit or roll back with the
rest of the unit of work. Driver errors are wrapped as SQLAlchemy's
(`IntegrityError`, `OperationalError`, ...) so callers handle them the way
they handle any other statement's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cloudviz.progress import NULL_PROGRESS, Progress

Row = tuple[Any, ...]


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_insert(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    *,
    progress: Progress = NULL_PROGRESS,
    chunk_size: int = 5_000,
) -> None:
    """Insert `rows` (tuples in `columns` order); advances `progress` per chunk."""
    connection = session.connection()
    dialect = connection.dialect
    raw = connection.connection.driver_connection
    assert raw is not None, "a session in a transaction has a live connection"
    names = ", ".join(columns)
    if dialect.name == "postgresql":
        statement = f"COPY {table.name} ({names}) FROM STDIN"
    else:
        marks = ", ".join(
            "?" if dialect.paramstyle == "qmark" else "%s" for _ in columns
        )
        statement = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    dbapi = dialect.loaded_dbapi
    try:
        if dialect.name == "postgresql":
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for chunk in _chunks(rows, chunk_size):
                    for row in chunk:
                        copy.write_row(row)
                    progress.advance(len(chunk))
        elif dialect.name == "sqlite":
            cursor = raw.cursor()
            try:
                for chunk in _chunks(rows, chunk_size):
                    cursor.executemany(statement, chunk)
                    progress.advance(len(chunk))
            finally:
                cursor.close()
        else:
            for chunk in _chunks(rows, chunk_size):
                session.execute(
                    table.insert(),
                    [dict(zip(columns, row, strict=True)) for row in chunk],
                )
                progress.advance(len(chunk))
    except dbapi.Error as error:
        raise DBAPIError.instance(
            statement, None, error, dbapi.Error, dialect=dialect
        ) from error
