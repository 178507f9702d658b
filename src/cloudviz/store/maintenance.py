"""What `cloudviz db status|check-tables|analyze-queries|optimize-indexes` do.

`analyze_queries` runs EXPLAIN (with ANALYZE on PostgreSQL, which executes
the read-only query) on the queries the API runs most, against the newest
snapshot, and says for each whether it reads through an index or scans a
table. `optimize_indexes` creates any of the schema's indexes that are
missing, adds trigram indexes for the text search on PostgreSQL when the
`pg_trgm` extension is available, then refreshes the planner's statistics
(ANALYZE) and compacts the database (VACUUM) as the backend allows.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Executable, func, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

from cloudviz.errors import DatabaseUnavailableError
from cloudviz.store.database import Database
from cloudviz.store.models import (
    EXPECTED_TABLES,
    ApiKey,
    Base,
    Job,
    RevokedToken,
    Snapshot,
)
from cloudviz.store.schema import (
    OPTIONAL_INDEX_PREFIX,
    current_revision,
    head_revision,
    pending_revisions,
)
from cloudviz.store.snapshot_rows import resource_conditions, select_resources

log = logging.getLogger(__name__)

TRIGRAM_INDEXES = {
    f"{OPTIONAL_INDEX_PREFIX}resources_name_trgm": "name",
    f"{OPTIONAL_INDEX_PREFIX}resources_resource_id_trgm": "resource_id",
}


@dataclass(slots=True)
class DatabaseStatus:
    url: str
    backend: str
    reachable: bool
    latency_ms: float | None = None
    error: str | None = None
    revision: str | None = None
    head: str | None = None
    pending: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    missing_tables: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return self.reachable and self.revision == self.head

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "backend": self.backend,
            "reachable": self.reachable,
            "latency_ms": self.latency_ms,
            "error": self.error,
            "revision": self.revision,
            "head": self.head,
            "up_to_date": self.up_to_date,
            "pending": self.pending,
            "tables": self.row_counts,
            "missing_tables": self.missing_tables,
        }


def database_status(database: Database) -> DatabaseStatus:
    """Reachability, schema revision and row counts; never raises CV005."""
    status = DatabaseStatus(
        url=database.safe_url, backend=database.dialect, reachable=False
    )
    status.head = head_revision()
    started = time.perf_counter()
    try:
        database.ping()
    except DatabaseUnavailableError as error:
        status.error = str(error)
        return status
    status.reachable = True
    status.latency_ms = round((time.perf_counter() - started) * 1000, 2)
    status.revision = current_revision(database)
    status.pending = pending_revisions(database)
    present = database.table_names()
    status.missing_tables = [name for name in EXPECTED_TABLES if name not in present]
    with database.translated_errors(), database.engine.connect() as connection:
        for name in EXPECTED_TABLES:
            if name in present:
                table = Base.metadata.tables[name]
                count = select(func.count()).select_from(table)
                status.row_counts[name] = connection.execute(count).scalar_one()
    return status


def check_tables(database: Database) -> dict[str, bool]:
    """Each table the schema needs, and whether the database has it."""
    present = database.table_names()
    return {name: name in present for name in EXPECTED_TABLES}


@dataclass(slots=True)
class QueryPlan:
    name: str
    sql: str
    plan: list[str]
    uses_index: bool
    full_scans: list[str]
    milliseconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sql": self.sql,
            "plan": self.plan,
            "uses_index": self.uses_index,
            "full_scans": self.full_scans,
            "milliseconds": self.milliseconds,
        }


def _main_queries(database: Database) -> list[tuple[str, Executable]]:
    with database.engine.connect() as connection:
        newest = connection.execute(
            select(Snapshot.id).order_by(Snapshot.created_at.desc()).limit(1)
        ).scalar_one_or_none()
    snapshot_id = newest or "00000000-0000-0000-0000-000000000000"

    def resources(**criteria: Any) -> Executable:
        return select_resources(resource_conditions(snapshot_id, **criteria)).limit(100)

    return [
        (
            "list snapshots (newest first)",
            select(Snapshot)
            .order_by(Snapshot.created_at.desc(), Snapshot.id)
            .limit(50),
        ),
        ("read a snapshot's resources", resources()),
        ("resources by kind", resources(kinds=["compute.vm"])),
        ("resources by region", resources(regions=["eu-west-1"])),
        ("resources by tag", resources(tags=[("env", "prod")])),
        ("resources by text", resources(text="web")),
        (
            "jobs by status",
            select(Job).where(Job.status == "running").order_by(Job.created_at.desc()),
        ),
        ("API key lookup", select(ApiKey).where(ApiKey.prefix == "abcdefgh")),
        (
            "revoked token check",
            select(RevokedToken.jti).where(RevokedToken.jti == "0" * 32),
        ),
    ]


def _literal_sql(database: Database, statement: ClauseElement) -> str:
    compiled = statement.compile(
        dialect=database.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


def _full_scans(backend: str, plan: list[str]) -> list[str]:
    if backend == "postgresql":
        return [line.strip() for line in plan if "Seq Scan" in line]
    return [
        line.strip()
        for line in plan
        if line.strip().startswith("SCAN") and "USING" not in line
    ]


def analyze_queries(database: Database) -> list[QueryPlan]:
    """EXPLAIN each of the app's main queries; what reads the whole table."""
    explain = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if database.dialect == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    plans = []
    with database.translated_errors(), database.engine.connect() as connection:
        for name, statement in _main_queries(database):
            sql = _literal_sql(database, statement)  # type: ignore[arg-type]
            started = time.perf_counter()
            rows = connection.exec_driver_sql(explain + sql).fetchall()
            elapsed = round((time.perf_counter() - started) * 1000, 2)
            plan = [str(row[-1]) for row in rows]
            scans = _full_scans(database.dialect, plan)
            plans.append(QueryPlan(name, sql, plan, not scans, scans, elapsed))
    return plans


@dataclass(slots=True)
class OptimizeReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    maintenance: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "skipped": self.skipped,
            "maintenance": self.maintenance,
        }


def _create_missing_schema_indexes(database: Database, report: OptimizeReport) -> None:
    with database.engine.begin() as connection:
        inspector = inspect(connection)
        present_tables = set(inspector.get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name not in present_tables:
                report.skipped.append(
                    f"{table.name}: table missing (run `cloudviz db init`)"
                )
                continue
            existing = {index["name"] for index in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in existing:
                    index.create(connection)
                    report.created.append(str(index.name))


def _create_trigram_indexes(database: Database, report: OptimizeReport) -> None:
    try:
        with database.engine.begin() as connection:
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as error:
        report.skipped.append(
            f"trigram indexes for text search: pg_trgm unavailable ({error.orig})"
        )
        return
    with database.engine.begin() as connection:
        existing = {i["name"] for i in inspect(connection).get_indexes("resources")}
        for name, column in TRIGRAM_INDEXES.items():
            if name not in existing:
                connection.exec_driver_sql(
                    f"CREATE INDEX {name} ON resources "
                    f"USING gin ({column} gin_trgm_ops)"
                )
                report.created.append(name)


def _refresh_statistics(database: Database, report: OptimizeReport) -> None:
    # VACUUM cannot run inside a transaction on either backend.
    with database.engine.connect().execution_options(
        isolation_level="AUTOCOMMIT"
    ) as connection:
        if database.dialect == "postgresql":
            connection.execute(text("VACUUM (ANALYZE)"))
            report.maintenance.append("VACUUM (ANALYZE): statistics refreshed")
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql("PRAGMA optimize")
            connection.exec_driver_sql("VACUUM")
            report.maintenance.append("ANALYZE, PRAGMA optimize, VACUUM")


def optimize_indexes(database: Database) -> OptimizeReport:
    """Create missing recommended indexes, then refresh statistics."""
    report = OptimizeReport()
    with database.translated_errors():
        _create_missing_schema_indexes(database, report)
        if database.dialect == "postgresql":
            _create_trigram_indexes(database, report)
        _refresh_statistics(database, report)
    log.info("db.optimized created=%s", report.created)
    return report
