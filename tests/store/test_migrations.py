import pytest
from sqlalchemy import text

from cloudviz.errors import DatabaseUnavailableError
from cloudviz.sources.demo import generate_demo_inventory
from cloudviz.store.database import Database
from cloudviz.store.maintenance import (
    analyze_queries,
    check_tables,
    database_status,
    optimize_indexes,
)
from cloudviz.store.models import EXPECTED_TABLES
from cloudviz.store.schema import (
    current_revision,
    downgrade,
    ensure_current_schema,
    head_revision,
    schema_differences,
    stamp,
    upgrade,
)
from cloudviz.store.snapshots import SnapshotService


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        database = Database.from_url(f"sqlite:///{tmp_path}/fresh.db")
    else:
        database = Database.from_url(request.getfixturevalue("empty_postgres_url"))
    yield database
    database.dispose()


def test_migrations_build_exactly_the_orm_schema(empty_database):
    upgrade(empty_database, "head")
    assert schema_differences(empty_database) == []
    assert current_revision(empty_database) == head_revision()


def test_downgrade_to_base_removes_everything(empty_database):
    upgrade(empty_database, "head")
    downgrade(empty_database, "base")
    assert set(check_tables(empty_database).values()) == {False}
    assert current_revision(empty_database) is None


def test_status_of_empty_then_initialised_database(empty_database):
    before = database_status(empty_database)
    assert before.reachable and before.revision is None
    assert before.missing_tables == list(EXPECTED_TABLES)
    with pytest.raises(DatabaseUnavailableError, match="no CloudViz tables"):
        ensure_current_schema(empty_database, upgrade_schema=False)

    ensure_current_schema(empty_database, upgrade_schema=True)

    after = database_status(empty_database)
    assert after.up_to_date and after.missing_tables == []
    assert after.row_counts["snapshots"] == 0


def test_behind_head_says_not_up_to_date(empty_database):
    upgrade(empty_database, "head")
    with empty_database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    with pytest.raises(DatabaseUnavailableError) as caught:
        ensure_current_schema(empty_database, upgrade_schema=False)
    assert "Target database is not up to date" in caught.value.message
    assert "cloudviz db stamp head" in caught.value.hint
    stamp(empty_database, "head")
    ensure_current_schema(empty_database, upgrade_schema=False)


def test_analyze_and_optimize_on_a_stored_snapshot(empty_database):
    upgrade(empty_database, "head")
    with empty_database.session() as session:
        SnapshotService(session).create_from_inventory(
            generate_demo_inventory(2_000, 1)
        )
    with empty_database.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_resources_snapshot_kind"))

    report = optimize_indexes(empty_database)
    plans = {plan.name: plan for plan in analyze_queries(empty_database)}

    assert "ix_resources_snapshot_kind" in report.created
    assert report.maintenance
    assert plans["resources by kind"].uses_index, plans["resources by kind"].plan
    assert schema_differences(empty_database) == []  # optional indexes ignored
