"""The job runner the API holds: submit, cancel, start-up recovery, health.

`create_job_runner(settings, database)` returns the in-process pool
(`jobs.backend: local`, the default) or the Celery client
(`jobs.backend: celery`). Both run the same task functions and keep the same
job rows, so the API does not know which one it talks to.
"""

from __future__ import annotations

from typing import Any, Protocol

from cloudviz.config import Settings
from cloudviz.jobs.tasks import validate_job
from cloudviz.store.database import Database
from cloudviz.store.jobs import JobInfo, JobService


class JobRunner(Protocol):
    backend: str

    def start(self) -> None:
        """Recover jobs cut off by a restart; call once at server start."""

    def submit(
        self, kind: str, params: dict[str, Any], owner_id: int | None = None
    ) -> JobInfo:
        """Validate, record (committed) and queue a job; its queued state."""
        ...

    def cancel(self, job_id: str) -> JobInfo:
        """Cancel a queued job now, or ask a running one to stop."""
        ...

    def health(self) -> dict[str, Any]:
        """Status for /health/components; raises nothing."""
        ...

    def shutdown(self, wait: bool = True) -> None: ...


def record_job(
    database: Database,
    backend: str,
    kind: str,
    params: dict[str, Any],
    owner_id: int | None,
) -> JobInfo:
    """Validate a job and commit its queued row, before any worker sees its id."""
    validate_job(kind, params)
    with database.session() as session:
        return JobService(session).create(kind, params, owner_id, backend=backend)


def cancel_job(database: Database, job_id: str) -> JobInfo:
    with database.session() as session:
        return JobService(session).cancel(job_id)


def create_job_runner(settings: Settings, database: Database) -> JobRunner:
    if settings.jobs.backend == "celery":
        from cloudviz.jobs.celery_backend import CeleryJobRunner

        return CeleryJobRunner(settings, database)
    from cloudviz.jobs.local import LocalJobRunner

    return LocalJobRunner(settings, database)
