"""The Celery backend with a real worker, over Redis and RabbitMQ on loopback.

Most tests use Redis (database 11, queues named per test): an embedded worker
on RabbitMQ takes ten seconds to shut down, so RabbitMQ runs one test.
"""

import socket
import uuid
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker

from cloudviz.config import Settings
from cloudviz.errors import ConfigurationError, NetworkError
from cloudviz.jobs.celery_backend import CeleryJobRunner, make_celery_app
from cloudviz.jobs.recovery import recover_interrupted_jobs
from cloudviz.store.database import Database
from cloudviz.store.jobs import JobService
from cloudviz.store.schema import upgrade
from tests.jobs.waiting import wait_for_job

REDIS = "redis://127.0.0.1:6379/11"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
FINISHED = ("succeeded", "failed", "cancelled")


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not reachable(6379), reason="Redis unreachable")
needs_rabbitmq = pytest.mark.skipif(not reachable(5672), reason="RabbitMQ unreachable")


def celery_settings(broker):
    settings = Settings()
    settings.jobs.backend = "celery"
    settings.jobs.broker_url = broker
    # A queue of our own: other test runs share the broker.
    settings.jobs.queue = f"cloudviz-test-{uuid.uuid4().hex[:8]}"
    return settings


@contextmanager
def running_worker(database, broker):
    settings = celery_settings(broker)
    app = make_celery_app(settings, database)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        yield CeleryJobRunner(settings, database, app)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_delete(settings.jobs.queue)


@pytest.fixture
def celery_runner(database):
    with running_worker(database, REDIS) as runner:
        yield runner


@needs_redis
def test_worker_runs_the_job_and_stores_the_snapshot(celery_runner, database):
    job = celery_runner.submit("demo", {"resources": 150, "name": "via-celery"})
    done = wait_for_job(database, job.id, FINISHED, timeout=60)

    assert done.status == "succeeded", done.error_message
    assert done.backend == "celery" and done.worker.startswith("celery:")
    assert done.result_snapshot_id
    assert celery_runner.health()["status"] == "healthy"


@needs_rabbitmq
def test_rabbitmq_worker_runs_the_job(tmp_path):
    database = Database.from_url(f"sqlite:///{tmp_path}/cloudviz.db")
    upgrade(database)
    with running_worker(database, RABBITMQ) as runner:
        job = runner.submit("demo", {"resources": 20})
        assert wait_for_job(database, job.id, FINISHED).status == "succeeded"


@needs_redis
def test_worker_records_task_failures(celery_runner, database):
    job = celery_runner.submit("demo", {"resources": -1})
    done = wait_for_job(database, job.id, FINISHED, timeout=60)
    assert (done.status, done.error_code) == ("failed", "CV010")


def test_unreachable_broker_fails_the_job_and_says_so(database):
    settings = celery_settings("amqp://guest:guest@127.0.0.1:1//")
    app = make_celery_app(settings, database)
    app.conf.broker_connection_max_retries = 0
    app.conf.broker_transport_options = {"max_retries": 0}
    runner = CeleryJobRunner(settings, database, app)

    with pytest.raises(NetworkError, match="unreachable"):
        runner.submit("demo", {"resources": 5})
    with database.session() as session:
        (job,) = JobService(session).list().items
    assert (job.status, job.error_code) == ("failed", "CV008")
    assert runner.health()["status"] == "unhealthy"


def test_celery_needs_a_broker_url():
    settings = Settings()
    settings.jobs.backend = "celery"
    with pytest.raises(ConfigurationError, match="broker_url"):
        make_celery_app(settings)


def test_worker_restart_fails_the_jobs_it_was_running(database):
    with database.session() as session:
        jobs = JobService(session)
        mine = jobs.create("demo", {}, backend="celery")
        other = jobs.create("demo", {}, backend="celery")
        jobs.claim(mine.id, "celery:w1@host")
        jobs.claim(other.id, "celery:w2@host")

    report = recover_interrupted_jobs(database, "celery", worker="celery:w1@host")

    assert report.failed == [mine.id]
    with database.session() as session:
        assert JobService(session).get(other.id).status == "running"
