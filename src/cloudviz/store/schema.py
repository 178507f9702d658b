"""The schema's version: Alembic driven from CloudViz's own settings.

The migrations ship inside the package (`cloudviz/store/migrations`), so
`cloudviz db upgrade head` works from any installed copy with no
`alembic.ini` to find.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from cloudviz.errors import DatabaseUnavailableError
from cloudviz.store.database import Database
from cloudviz.store.models import EXPECTED_TABLES, Base

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Indexes outside the ORM schema that `cloudviz db optimize-indexes` may add;
# migrations and drift checks leave them alone.
OPTIONAL_INDEX_PREFIX = "ix_opt_"


def include_object(
    item: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: optional tuning indexes are not part of the schema."""
    return not (
        type_ == "index"
        and reflected
        and (name or "").startswith(OPTIONAL_INDEX_PREFIX)
    )


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


@contextmanager
def _configured(database: Database) -> Iterator[Config]:
    config = alembic_config()
    with database.translated_errors(), database.engine.begin() as connection:
        config.attributes["connection"] = connection
        yield config


def current_revision(database: Database) -> str | None:
    """The revision the database is at; None when it was never migrated."""
    with database.translated_errors(), database.engine.connect() as connection:
        return _current(connection)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(
    database: Database, revision: str = "head"
) -> tuple[str | None, str | None]:
    """Apply migrations up to `revision`; returns (before, after)."""
    before = current_revision(database)
    with _configured(database) as config:
        command.upgrade(config, revision)
    after = current_revision(database)
    log.info("db.upgrade from=%s to=%s url=%s", before, after, database.safe_url)
    return before, after


def downgrade(database: Database, revision: str) -> tuple[str | None, str | None]:
    before = current_revision(database)
    with _configured(database) as config:
        command.downgrade(config, revision)
    return before, current_revision(database)


def stamp(database: Database, revision: str) -> None:
    """Record `revision` as applied without running anything."""
    with _configured(database) as config:
        # purge: also works when the recorded revision is unknown to us.
        command.stamp(config, revision, purge=True)


@dataclass(frozen=True, slots=True)
class RevisionEntry:
    revision: str
    down_revision: str | None
    message: str
    is_head: bool


def history() -> list[RevisionEntry]:
    """Every shipped migration, newest first."""
    entries = []
    for script in script_directory().walk_revisions():
        down = script.down_revision
        entries.append(
            RevisionEntry(
                revision=script.revision,
                down_revision=down
                if isinstance(down, str) or down is None
                else ",".join(down),
                message=script.doc or "",
                is_head=script.is_head,
            )
        )
    return entries


def pending_revisions(database: Database) -> list[str]:
    """Revisions not yet applied, oldest first."""
    current = current_revision(database)
    scripts = script_directory()
    pending = [
        script.revision
        for script in scripts.iterate_revisions("heads", current)
        if script.revision != current
    ]
    return list(reversed(pending))


def schema_differences(database: Database) -> list[Any]:
    """What autogenerate would change to make the database match the models.

    Empty when the migrations and the ORM agree; `cloudviz db status` shows it.
    """
    with database.translated_errors(), database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": include_object},
        )
        return list(compare_metadata(context, Base.metadata))


def missing_tables(database: Database) -> list[str]:
    present = database.table_names()
    return [name for name in EXPECTED_TABLES if name not in present]


def ensure_current_schema(database: Database, *, upgrade_schema: bool) -> None:
    """Check the database is reachable and at the head revision.

    With `upgrade_schema` a missing or old schema is migrated; otherwise CV005
    says which command fixes it, as the troubleshooting guide does.
    """
    current = current_revision(database)
    head = head_revision()
    if current == head:
        return
    if upgrade_schema:
        upgrade(database, "head")
        return
    if current is None and missing_tables(database) != list(EXPECTED_TABLES):
        raise DatabaseUnavailableError(
            f"the database at {database.safe_url} has CloudViz tables but no "
            "record of its schema revision",
            hint="if it matches this version run `cloudviz db stamp head`, "
            "otherwise restore it or start from an empty database",
        )
    if current is None:
        raise DatabaseUnavailableError(
            f"the database at {database.safe_url} has no CloudViz tables yet",
            hint="run `cloudviz db init` to create them",
        )
    if current not in {entry.revision for entry in history()}:
        raise DatabaseUnavailableError(
            f"Target database is not up to date: it is at revision {current!r}, "
            "which this CloudViz does not know (a newer CloudViz migrated it?)",
            hint="upgrade CloudViz; if the schema is known to match, "
            "`cloudviz db stamp head` records it (see `cloudviz db history`)",
        )
    raise DatabaseUnavailableError(
        f"Target database is not up to date: it is at revision {current}, "
        f"this CloudViz needs {head}",
        hint="run `cloudviz db upgrade head` (see `cloudviz db current` and "
        "`cloudviz db history`)",
    )
