import os
import socket

import pytest

from cloudviz.config import Settings
from cloudviz.errors import ValidationError
from cloudviz.jobs.local import LocalJobRunner
from cloudviz.jobs.recovery import local_worker_name, recover_interrupted_jobs
from cloudviz.store.jobs import JobService
from cloudviz.store.snapshots import SnapshotService
from tests.jobs.waiting import wait_for_job

FINISHED = ("succeeded", "failed", "cancelled")


@pytest.fixture
def runner(database):
    settings = Settings()
    settings.jobs.max_concurrent_jobs = 1
    job_runner = LocalJobRunner(settings, database)
    yield job_runner
    job_runner.shutdown(wait=True)


def test_demo_job_stores_a_snapshot(runner, database):
    job = runner.submit("demo", {"resources": 300, "seed": 4, "name": "from-job"}, None)
    assert job.status == "queued"

    done = wait_for_job(database, job.id, FINISHED)

    assert done.status == "succeeded", done.error_message
    assert done.progress == 1.0
    assert done.started_at and done.finished_at and done.worker == runner.worker
    with database.session() as session:
        info = SnapshotService(session).info(done.result_snapshot_id)
    assert (info.name, info.resource_count) == ("from-job", 300)


def test_bad_params_are_refused_before_queueing(runner, database):
    with pytest.raises(ValidationError, match="provider"):
        runner.submit("extract", {"provider": "oracle"})
    with pytest.raises(ValidationError, match="kind"):
        runner.submit("mine-bitcoin", {})
    with database.session() as session:
        assert JobService(session).list().total == 0


def test_failing_task_records_its_cv_code(runner, database):
    job = runner.submit("demo", {"resources": 0})
    done = wait_for_job(database, job.id, FINISHED)
    assert (done.status, done.error_code) == ("failed", "CV010")
    assert "--resources must be between" in done.error_message


def test_cancel_queued_and_running_jobs(runner, database):
    long_job = runner.submit("demo", {"resources": 60_000})
    waiting = runner.submit("demo", {"resources": 10})

    assert runner.cancel(waiting.id).status == "cancelled"
    wait_for_job(database, long_job.id, ("running",))
    runner.cancel(long_job.id)

    cancelled = wait_for_job(database, long_job.id, FINISHED)
    assert cancelled.status == "cancelled"
    assert wait_for_job(database, waiting.id, FINISHED).started_at is None
    with database.session() as session:
        assert SnapshotService(session).count() == 0  # rolled back, nothing half-stored
    with database.session() as session, pytest.raises(ValidationError, match="already"):
        JobService(session).cancel(long_job.id)


def test_restart_fails_dead_running_jobs_and_requeues_queued(runner, database):
    with database.session() as session:
        jobs = JobService(session)
        dead = jobs.create("demo", {"resources": 5})
        alive = jobs.create("demo", {"resources": 5})
        queued = jobs.create("demo", {"resources": 5})
        # A process on this host that no longer exists, and this very process.
        jobs.claim(dead.id, f"local:{socket.gethostname()}:{2**22 + 7}:0bad0bad")
        jobs.claim(alive.id, local_worker_name())

    runner.start()

    assert wait_for_job(database, dead.id, FINISHED).status == "failed"
    assert wait_for_job(database, queued.id, FINISHED).status == "succeeded"
    with database.session() as session:
        assert JobService(session).get(alive.id).status == "running"


def test_same_pid_after_restart_is_recognised(database):
    # In a container the server is pid 1 after every restart: the boot id
    # tells the old process from the new one.
    with database.session() as session:
        jobs = JobService(session)
        job = jobs.create("demo", {})
        jobs.claim(job.id, f"local:{socket.gethostname()}:{os.getpid()}:00000000")

    report = recover_interrupted_jobs(database)

    assert report.failed == [job.id]
