"""`cloudviz db`: create, migrate, inspect and tune the CloudViz database."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.errors import CloudVizError

if TYPE_CHECKING:
    from cloudviz.store.database import Database

# The store pulls in SQLAlchemy and Alembic; importing them only when a `db`
# command runs keeps every other command quick to start.


def _database(state: CliState) -> Database:
    from cloudviz.store.database import Database

    return Database.from_settings(state.settings)


def _describe(revision: str | None) -> str:
    from cloudviz.store import schema

    if revision is None:
        return "none (empty database)"
    return f"{revision} (head)" if revision == schema.head_revision() else revision


@cli.group("db")
def db_group() -> None:
    """Create, migrate, check and tune the database (SQLite or PostgreSQL).

    The database is `database.url` or DATABASE_URL; without either, SQLite in
    the user's data folder (see `cloudviz config show`).
    """


def _apply(state: CliState, revision: str) -> None:
    from cloudviz.store import schema

    database = _database(state)
    pending = schema.pending_revisions(database)
    before, after = schema.upgrade(database, revision)
    if before == after:
        click.echo(f"Nothing to migrate: {database.safe_url} is at {_describe(after)}.")
        return
    applied = len(pending) if revision == "head" else "the"
    click.echo(
        f"Applied {applied} migration(s) to {database.safe_url}: "
        f"{before or 'empty'} -> {_describe(after)}."
    )


@db_group.command("init")
@pass_state
def init_command(state: CliState) -> None:
    """Create every table (the schema at its newest revision).

    Safe to run again: an initialised database is left as it is.

    \b
    Example:
      createdb cloudviz
      DATABASE_URL=postgresql://cloudviz@db:5432/cloudviz cloudviz db init
    """
    from cloudviz.store import schema

    database = _database(state)
    if schema.current_revision(database) == schema.head_revision():
        at = _describe(schema.head_revision())
        click.echo(f"Already initialised: {database.safe_url} is at {at}.")
        return
    before, after = schema.upgrade(database, "head")
    click.echo(
        f"Initialised {database.safe_url} at revision {_describe(after)}"
        + (f" (from {before})." if before else ".")
    )


@db_group.command("migrate")
@pass_state
def migrate_command(state: CliState) -> None:
    """Apply every pending migration, and say which.

    \b
    Example:
      cloudviz db migrate
    """
    _apply(state, "head")


@db_group.command("upgrade")
@click.argument("revision", default="head")
@pass_state
def upgrade_command(state: CliState, revision: str) -> None:
    """Migrate the schema up to REVISION (default: head).

    \b
    Example:
      cloudviz db upgrade head
    """
    _apply(state, revision)


@db_group.command("current")
@pass_state
def current_command(state: CliState) -> None:
    """Print the schema revision the database is at.

    \b
    Example:
      cloudviz db current
    """
    from cloudviz.store import schema

    database = _database(state)
    click.echo(_describe(schema.current_revision(database)))


@db_group.command("history")
@pass_state
def history_command(state: CliState) -> None:
    """List the migrations this CloudViz ships, newest first.

    \b
    Example:
      cloudviz db history
    """
    from cloudviz.store import schema

    try:
        current = schema.current_revision(_database(state))
    except CloudVizError:  # the list is useful even when the database is down
        current = None
    for entry in schema.history():
        marks = []
        if entry.is_head:
            marks.append("head")
        if entry.revision == current:
            marks.append("current")
        suffix = f" ({', '.join(marks)})" if marks else ""
        parent = entry.down_revision or "<base>"
        click.echo(f"{parent} -> {entry.revision}{suffix}: {entry.message.strip()}")


@db_group.command("stamp")
@click.argument("revision")
@pass_state
def stamp_command(state: CliState, revision: str) -> None:
    """Record REVISION as the schema's revision without changing any table.

    For a database whose schema is known to match (restored by hand, or
    migrated by another tool). Caution: a wrong stamp hides real differences.

    \b
    Example:
      cloudviz db stamp head
      cloudviz db upgrade
    """
    from cloudviz.store import schema

    database = _database(state)
    schema.stamp(database, revision)
    now_at = _describe(schema.current_revision(database))
    click.echo(f"Stamped {database.safe_url} at {now_at}.")


@db_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@pass_state
def status_command(state: CliState, as_json: bool) -> None:
    """Show the database URL, whether it answers, its revision and row counts.

    Exits 1 when the database is unreachable or not at the newest revision.

    \b
    Example:
      cloudviz db status
    """
    from cloudviz.store import maintenance

    status = maintenance.database_status(_database(state))
    if as_json:
        click.echo(json.dumps(status.to_dict(), indent=2))
        sys.exit(0 if status.up_to_date else 1)
    click.echo(f"Database:  {status.url} ({status.backend})")
    if not status.reachable:
        click.echo(f"Reachable: no: {status.error}")
        sys.exit(1)
    click.echo(f"Reachable: yes ({status.latency_ms} ms)")
    click.echo(f"Revision:  {_describe(status.revision)}; head is {status.head}")
    if status.pending:
        click.echo(
            f"Pending:   {', '.join(status.pending)} (run `cloudviz db upgrade head`)"
        )
    if status.missing_tables:
        click.echo(
            f"Missing:   {', '.join(status.missing_tables)} (run `cloudviz db init`)"
        )
    if status.row_counts:
        click.echo("Tables:")
        width = max(len(name) for name in status.row_counts)
        for name, count in status.row_counts.items():
            click.echo(f"  {name:<{width}}  {count:>9,}")
    sys.exit(0 if status.up_to_date else 1)


@db_group.command("check-tables")
@pass_state
def check_tables_command(state: CliState) -> None:
    """List the tables CloudViz needs and whether each exists; exit 1 if any is missing.

    \b
    Example:
      cloudviz db check-tables
    """
    from cloudviz.store import maintenance

    tables = maintenance.check_tables(_database(state))
    for name, present in tables.items():
        click.echo(f"  {'ok     ' if present else 'MISSING'}  {name}")
    missing = [name for name, present in tables.items() if not present]
    if missing:
        click.echo(
            f"{len(missing)} table(s) missing: run `cloudviz db init`.", err=True
        )
        sys.exit(1)
    click.echo(f"All {len(tables)} tables present.")


@db_group.command("analyze-queries")
@click.option("--json", "as_json", is_flag=True, help="Print the plans as JSON.")
@click.option("--verbose-plans", is_flag=True, help="Print every query's full plan.")
@pass_state
def analyze_queries_command(
    state: CliState, as_json: bool, verbose_plans: bool
) -> None:
    """EXPLAIN the API's main queries and say which read through an index.

    On PostgreSQL the plans come from EXPLAIN ANALYZE (the read-only queries
    run once, against the newest snapshot); on SQLite from EXPLAIN QUERY PLAN.
    A full scan on a small table is normal; on `resources` it is worth
    `cloudviz db optimize-indexes`.

    \b
    Example:
      cloudviz db analyze-queries
    """
    from cloudviz.store import maintenance

    plans = maintenance.analyze_queries(_database(state))
    if as_json:
        click.echo(json.dumps([plan.to_dict() for plan in plans], indent=2))
        return
    for plan in plans:
        verdict = (
            "index" if plan.uses_index else "FULL SCAN: " + "; ".join(plan.full_scans)
        )
        click.echo(f"{plan.name:<32} {plan.milliseconds:>8.2f} ms  {verdict}")
        if verbose_plans:
            for line in plan.plan:
                click.echo(f"    {line}")


@db_group.command("optimize-indexes")
@pass_state
def optimize_indexes_command(state: CliState) -> None:
    """Create missing recommended indexes, then refresh planner statistics.

    Recreates any schema index that was dropped, adds trigram indexes for
    text search on PostgreSQL when pg_trgm is available, and runs ANALYZE and
    VACUUM as the backend allows.

    \b
    Example:
      cloudviz db optimize-indexes
    """
    from cloudviz.store import maintenance

    report = maintenance.optimize_indexes(_database(state))
    for name in report.created:
        click.echo(f"created index  {name}")
    for reason in report.skipped:
        click.echo(f"skipped        {reason}")
    for action in report.maintenance:
        click.echo(f"ran            {action}")
    if not report.created:
        click.echo("Every recommended index already exists.")
