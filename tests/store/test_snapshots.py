import time

import pytest
from sqlalchemy import func, select

from cloudviz.errors import NotFoundError, ValidationError
from cloudviz.inventory.codec import dumps_inventory
from cloudviz.inventory.model import Relationship
from cloudviz.sources.demo import generate_demo_inventory
from cloudviz.store.models import RelationshipRow, ResourceRow, ResourceTag, Snapshot
from cloudviz.store.paging import PageRequest
from cloudviz.store.snapshots import ResourceQuery, SnapshotFilter, SnapshotService
from tests.factories import make_inventory, make_resource, small_network


def store(database, inventory, owner_id=None):
    with database.session() as session:
        return SnapshotService(session).create_from_inventory(inventory, owner_id)


def row_counts(database):
    with database.session() as session:
        return {
            model.__tablename__: session.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (Snapshot, ResourceRow, ResourceTag, RelationshipRow)
        }


def test_inventory_round_trips_through_rows(database):
    inventory = small_network()
    inventory.created_at = "2026-12-01T10:00:00Z"
    info = store(database, inventory)

    with database.session() as session:
        loaded = SnapshotService(session).get(info.id)

    assert loaded.to_dict() == inventory.to_dict()
    assert info.resource_count == 5
    assert info.relationship_count == 2


def test_ten_thousand_resource_demo_snapshot(database, capsys):
    inventory = generate_demo_inventory(10_000, 3)
    started = time.perf_counter()
    info = store(database, inventory)
    stored = time.perf_counter() - started

    started = time.perf_counter()
    with database.session() as session:
        loaded = SnapshotService(session).get(info.id)
    loaded_in = time.perf_counter() - started

    assert [r.id for r in loaded.resources] == [r.id for r in inventory.resources]
    assert loaded.relationships == inventory.relationships
    with capsys.disabled():
        print(
            f"\n{database.dialect}: stored 10k in {stored:.2f}s, read {loaded_in:.2f}s"
        )


def test_repeated_id_mid_insert_leaves_no_half_snapshot(database):
    inventory = generate_demo_inventory(12_000, 5)
    # A repeated id past the first insert batch: the unique index refuses it
    # after thousands of rows have already been written in this transaction.
    inventory.resources.insert(11_000, inventory.resources[10])

    with pytest.raises(ValidationError, match="repeat"):
        store(database, inventory)

    assert row_counts(database) == {
        "snapshots": 0,
        "resources": 0,
        "resource_tags": 0,
        "relationships": 0,
    }


def test_relationship_to_missing_resource_is_refused_whole(database):
    inventory = small_network()
    inventory.relationships.append(Relationship("i-1", "nowhere", "uses"))

    with pytest.raises(ValidationError):
        store(database, inventory)

    assert row_counts(database)["snapshots"] == 0


def test_list_filters_and_pages_newest_first(database):
    for day, name, kind in [
        (1, "prod-a", "aws"),
        (2, "prod-b", "terraform"),
        (3, "dev", "aws"),
    ]:
        store(
            database,
            make_inventory(
                name=name, source_kind=kind, created_at=f"2026-11-0{day}T00:00:00Z"
            ),
        )

    with database.session() as session:
        service = SnapshotService(session)
        everything = service.list()
        prod = service.list(SnapshotFilter(name="PROD"))
        aws = service.list(SnapshotFilter(source_kind="aws"))
        paged = service.list(page=PageRequest(offset=1, limit=1))

    assert [s.name for s in everything.items] == ["dev", "prod-b", "prod-a"]
    assert [s.name for s in prod.items] == ["prod-b", "prod-a"]
    assert [s.name for s in aws.items] == ["dev", "prod-a"]
    assert (paged.total, [s.name for s in paged.items]) == (3, ["prod-b"])


def test_resource_queries_by_kind_region_tag_and_text(database):
    resources = [
        make_resource(
            id="vm-1", name="web-1", region="eu-west-1", tags={"env": "prod"}
        ),
        make_resource(id="vm-2", name="web-2", region="us-east-1", tags={"env": "dev"}),
        make_resource(
            id="db-1",
            name="orders",
            kind="database.sql",
            type="AWS::RDS::DBInstance",
            region="eu-west-1",
            tags={"env": "prod", "team": "pay_ments"},
        ),
    ]
    info = store(database, make_inventory(resources))

    def ids(**criteria):
        with database.session() as session:
            page = SnapshotService(session).resources(
                info.id, ResourceQuery(**criteria)
            )
        return [resource.id for resource in page.items]

    assert ids(kinds=("compute.vm",)) == ["vm-1", "vm-2"]
    assert ids(kinds=("database.*",)) == ["db-1"]
    assert ids(regions=("EU-*",)) == ["vm-1", "db-1"]  # globs ignore case
    assert ids(regions=("eu-west-1",)) == ["vm-1", "db-1"]
    assert ids(tags=(("env", "prod"),)) == ["vm-1", "db-1"]
    assert ids(tags=(("env", "prod"), ("team", "*"))) == ["db-1"]
    assert ids(tags=(("team", "pay_ments"),)) == ["db-1"]
    assert ids(tags=(("team", "pay%"),)) == []
    assert ids(text="WEB") == ["vm-1", "vm-2"]
    assert ids(text="db-") == ["db-1"]
    assert ids(text="%") == []
    assert ids(page=PageRequest(offset=1, limit=1)) == ["vm-2"]


def test_delete_cascades_to_rows(database):
    info = store(database, small_network())
    with database.session() as session:
        SnapshotService(session).delete(info.id)

    assert set(row_counts(database).values()) == {0}
    with database.session() as session, pytest.raises(NotFoundError):
        SnapshotService(session).get(info.id)


def test_diff_of_two_snapshots(database):
    old = small_network()
    new = small_network()
    new.resources[2].tags = {"env": "staging"}
    new.resources.append(make_resource(id="i-2", name="web-2"))
    old_info, new_info = store(database, old), store(database, new)

    with database.session() as session:
        diff = SnapshotService(session).diff(old_info.id, new_info.id)

    assert diff.summary()["added"] == 1
    assert [change.id for change in diff.changed] == ["i-1"]


def test_upload_goes_through_the_importers(database):
    data = dumps_inventory(small_network())
    with database.session() as session:
        info = SnapshotService(session).create_from_upload(
            data, "../../etc/estate.json"
        )

    assert info.name == "test"  # a CloudViz inventory keeps its own name
    assert info.source_detail["file"] == "estate.json"
    assert info.resource_count == 5


def test_upload_of_garbage_is_a_validation_error(database):
    with database.session() as session, pytest.raises(ValidationError):
        SnapshotService(session).create_from_upload(b"not an export", "x.txt")
    assert row_counts(database)["snapshots"] == 0
