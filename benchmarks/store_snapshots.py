"""Storing and querying a 100,000-resource snapshot on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/store_snapshots.py [--resources 100000]

Measures, per backend: storing the snapshot (one transaction), reading it
back as an Inventory, the resource queries the API serves (a page by kind,
by region, by tag, by text, deep in the list), listing snapshots, the diff of
two snapshots, and deleting one. Writes benchmarks/results/store_snapshots.json
and .md. PostgreSQL is the server on 127.0.0.1:5432, in a database created
for the run and dropped after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from cloudviz.inventory.model import Inventory
from cloudviz.sources.demo import generate_demo_inventory
from cloudviz.store.database import Database
from cloudviz.store.paging import PageRequest
from cloudviz.store.schema import upgrade
from cloudviz.store.snapshots import ResourceQuery, SnapshotService

RESULTS = Path(__file__).parent / "results"


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float

    def to_dict(self) -> dict[str, float]:
        return {"wall": round(self.wall, 4), "client_cpu": round(self.cpu, 4)}


ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def timed(action: Callable[[], Any], repeat: int = 1) -> tuple[Timing, Any]:
    """Median wall and client-CPU seconds of `repeat` runs, and the last result.

    The CPU time is this process's only (not the PostgreSQL server's); on a
    shared machine it shows what the code costs when the wall time cannot.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus)), result


def measure(
    database: Database, inventory: Inventory, changed: Inventory
) -> dict[str, float]:
    results: dict[str, float] = {}

    def store(inv: Inventory) -> str:
        with database.session() as session:
            return SnapshotService(session).create_from_inventory(inv).id

    results["store"], snapshot_id = timed(lambda: store(inventory))
    results["store_second"], other_id = timed(lambda: store(changed))

    def read() -> Inventory:
        with database.session() as session:
            return SnapshotService(session).get(snapshot_id)

    results["read_inventory"], loaded = timed(read, repeat=3)
    assert len(loaded.resources) == len(inventory.resources)

    queries = {
        "query_page_all": ResourceQuery(),
        "query_kind": ResourceQuery(kinds=("compute.vm",)),
        "query_kind_glob": ResourceQuery(kinds=("database.*",)),
        "query_region": ResourceQuery(regions=("eu-west-1",)),
        "query_tag": ResourceQuery(tags=(("env", "prod"),)),
        "query_two_tags": ResourceQuery(tags=(("env", "prod"), ("app", "billing"))),
        "query_text": ResourceQuery(text="billing-vm-1"),
        "query_deep_page": ResourceQuery(page=PageRequest(offset=90_000, limit=100)),
    }
    for name, query in queries.items():

        def run(query: ResourceQuery = query) -> int:
            with database.session() as session:
                return SnapshotService(session).resources(snapshot_id, query).total

        results[name], _ = timed(run, repeat=5)

    def listing() -> int:
        with database.session() as session:
            return SnapshotService(session).list().total

    results["list_snapshots"], _ = timed(listing, repeat=5)

    def diff() -> int:
        with database.session() as session:
            return len(SnapshotService(session).diff(snapshot_id, other_id).changed)

    results["diff_two_snapshots"], _ = timed(diff)

    def delete() -> None:
        with database.session() as session:
            SnapshotService(session).delete(other_id)

    results["delete"], _ = timed(delete)
    return {name: timing.to_dict() for name, timing in results.items()}


def sqlite_run(inventory: Inventory, changed: Inventory) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        database = Database.from_url(f"sqlite:///{folder}/bench.db")
        upgrade(database)
        try:
            return measure(database, inventory, changed)
        finally:
            database.dispose()


def postgres_run(
    inventory: Inventory, changed: Inventory
) -> dict[str, dict[str, float]]:
    name = f"cloudviz_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    database = Database.from_url(ADMIN_URL.rpartition("/")[0] + f"/{name}")
    try:
        upgrade(database)
        return measure(database, inventory, changed)
    finally:
        database.dispose()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )


def write_results(resources: int, inventory: Inventory, runs: dict[str, Any]) -> None:
    document = {
        "benchmark": "store_snapshots",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
        "resources": resources,
        "relationships": len(inventory.relationships),
        "tags": sum(len(r.tags) for r in inventory.resources),
        "seconds": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "store_snapshots.json").write_text(json.dumps(document, indent=2) + "\n")
    names = list(next(iter(runs.values())))
    lines = [
        f"# Snapshot store: {resources:,} resources, "
        f"{document['relationships']:,} relationships, {document['tags']:,} tags",
        "",
        f"{document['date']} on {document['machine']}, {document['cpus']} CPUs "
        f"shared with other work (load average {document['load_average']}). "
        "Seconds; median of 5 runs for queries, 3 for reads. Wall time is what "
        "a caller waits; client CPU is this process's share (PostgreSQL's own "
        "work is not in it).",
        "",
        "| operation | "
        + " | ".join(f"{b} wall | {b} client CPU" for b in runs)
        + " |",
        "|---|" + "---:|" * (2 * len(runs)),
    ]
    for name in names:
        cells = [
            f"{runs[b][name]['wall']:.3f} | {runs[b][name]['client_cpu']:.3f}"
            for b in runs
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    (RESULTS / "store_snapshots.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "both"), default="both"
    )
    args = parser.parse_args()

    inventory = generate_demo_inventory(args.resources, 1)
    changed = generate_demo_inventory(args.resources, 1)
    for resource in changed.resources[::50]:
        resource.tags = {**resource.tags, "reviewed": "yes"}

    runs: dict[str, Any] = {}
    if args.backend in ("sqlite", "both"):
        runs["sqlite"] = sqlite_run(inventory, changed)
        print("sqlite", runs["sqlite"], file=sys.stderr)
    if args.backend in ("postgresql", "both"):
        runs["postgresql"] = postgres_run(inventory, changed)
        print("postgresql", runs["postgresql"], file=sys.stderr)
    write_results(args.resources, inventory, runs)


if __name__ == "__main__":
    main()
