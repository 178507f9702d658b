"""The default job backend: a bounded thread pool inside the server process.

`jobs.max_concurrent_jobs` threads run jobs; more wait in the pool's queue
(their rows say `queued`). Jobs lost with the process are recovered by the
next start (`recover_interrupted_jobs`).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cloudviz.config import Settings
from cloudviz.jobs.execution import execute_job
from cloudviz.jobs.recovery import local_worker_name, recover_interrupted_jobs
from cloudviz.jobs.runner import cancel_job, record_job
from cloudviz.store.database import Database
from cloudviz.store.jobs import JobInfo

log = logging.getLogger(__name__)


class LocalJobRunner:
    backend = "local"

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.worker = local_worker_name()
        self.max_workers = settings.jobs.max_concurrent_jobs
        self._pool = ThreadPoolExecutor(
            max_workers=self.max_workers, thread_name_prefix="cloudviz-job"
        )
        self._lock = threading.Lock()
        self._active = 0

    def start(self) -> None:
        report = recover_interrupted_jobs(self.database, self.backend)
        for job_id in report.requeued:
            self._enqueue(job_id)

    def submit(
        self, kind: str, params: dict[str, Any], owner_id: int | None = None
    ) -> JobInfo:
        job = record_job(self.database, self.backend, kind, params, owner_id)
        self._enqueue(job.id)
        log.info("job.queued id=%s kind=%s", job.id, kind)
        return job

    def _enqueue(self, job_id: str) -> None:
        self._pool.submit(self._run, job_id)

    def _run(self, job_id: str) -> None:
        with self._lock:
            self._active += 1
        try:
            execute_job(self.database, self.settings, job_id, self.worker)
        except Exception:  # the pool would swallow it silently otherwise
            log.exception("job.runner_error id=%s", job_id)
        finally:
            with self._lock:
                self._active -= 1

    def cancel(self, job_id: str) -> JobInfo:
        return cancel_job(self.database, job_id)

    def health(self) -> dict[str, Any]:
        return {
            "status": "healthy",
            "backend": self.backend,
            "running": self._active,
            "max_concurrent_jobs": self.max_workers,
        }

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
