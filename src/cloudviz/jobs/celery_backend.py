"""The Celery job backend (`jobs.backend: celery`, broker `jobs.broker_url`).

The API records a job row and sends its id to the queue `jobs.queue`; a
worker started with `cloudviz jobs worker` (or `celery -A
cloudviz.jobs.worker worker`) runs it with the same `execute_job` as the
local pool. Messages are acknowledged after the job ends and redelivered if
the worker dies; the redelivered message takes the job over (`reclaim`).
When a worker starts it fails the jobs it was running when it last stopped.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery, Task
from celery.signals import worker_ready
from kombu.exceptions import OperationalError as BrokerError

from cloudviz.config import Settings
from cloudviz.errors import ConfigurationError, NetworkError
from cloudviz.jobs.execution import execute_job
from cloudviz.jobs.recovery import recover_interrupted_jobs
from cloudviz.jobs.runner import cancel_job, record_job
from cloudviz.store.database import Database, sanitized_url
from cloudviz.store.jobs import JobInfo, JobService

log = logging.getLogger(__name__)

TASK_NAME = "cloudviz.execute_job"

_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def broker_url(settings: Settings) -> str:
    if settings.jobs.broker_url is None:
        raise ConfigurationError(
            "jobs.backend is celery but jobs.broker_url is not set",
            hint="set jobs.broker_url, e.g. amqp://guest:guest@rabbitmq:5672// or "
            "redis://redis:6379/1",
        )
    return settings.jobs.broker_url.get_secret_value()


def _worker_database(settings: Settings) -> Database:
    # One engine per worker process, created on the first job it runs.
    url = settings.database.effective_url()
    with _databases_lock:
        if url not in _databases:
            _databases[url] = Database.from_settings(settings)
        return _databases[url]


def worker_name(hostname: str | None) -> str:
    return f"celery:{hostname or 'unknown'}"


def make_celery_app(settings: Settings, database: Database | None = None) -> Celery:
    """A Celery app whose one task runs CloudViz jobs from the job table."""
    app = Celery("cloudviz", broker=broker_url(settings), set_as_current=False)
    app.conf.update(
        task_default_queue=settings.jobs.queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        worker_prefetch_multiplier=1,
        worker_concurrency=settings.jobs.max_concurrent_jobs,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
    )

    def database_for_worker() -> Database:
        return database or _worker_database(settings)

    @app.task(name=TASK_NAME, bind=True, shared=False)  # type: ignore[untyped-decorator]
    def run_job(task: Task, job_id: str) -> None:
        delivery = task.request.delivery_info or {}
        execute_job(
            database_for_worker(),
            settings,
            job_id,
            worker_name(task.request.hostname),
            reclaim=bool(delivery.get("redelivered")),
        )

    def on_worker_ready(sender: Any = None, **_: Any) -> None:
        if getattr(sender, "app", None) is not app:
            return
        recover_interrupted_jobs(
            database_for_worker(), "celery", worker=worker_name(sender.hostname)
        )

    worker_ready.connect(on_worker_ready, weak=False)
    return app


class CeleryJobRunner:
    backend = "celery"

    def __init__(
        self, settings: Settings, database: Database, app: Celery | None = None
    ) -> None:
        self.settings = settings
        self.database = database
        self.app = app or make_celery_app(settings, database)

    def start(self) -> None:
        """Nothing to recover here: each worker recovers its own jobs."""

    def submit(
        self, kind: str, params: dict[str, Any], owner_id: int | None = None
    ) -> JobInfo:
        job = record_job(self.database, self.backend, kind, params, owner_id)
        try:
            self.app.send_task(TASK_NAME, args=[job.id], queue=self.settings.jobs.queue)
        except BrokerError as error:
            message = f"the job broker at {self._safe_broker} is unreachable: {error}"
            with self.database.session() as session:
                JobService(session).fail(job.id, NetworkError.cv_code, message)
            raise NetworkError(
                message, hint="check jobs.broker_url and that the broker is running"
            ) from None
        log.info("job.queued id=%s kind=%s backend=celery", job.id, kind)
        return job

    @property
    def _safe_broker(self) -> str:
        return sanitized_url(broker_url(self.settings))

    def cancel(self, job_id: str) -> JobInfo:
        return cancel_job(self.database, job_id)

    def health(self) -> dict[str, Any]:
        try:
            with self.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:  # any broker failure is "unhealthy"
            return {
                "status": "unhealthy",
                "backend": self.backend,
                "broker": self._safe_broker,
                "error": str(error),
            }
        return {
            "status": "healthy",
            "backend": self.backend,
            "broker": self._safe_broker,
        }

    def shutdown(self, wait: bool = True) -> None:
        self.app.close()
