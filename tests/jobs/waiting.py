"""Polling a job row until it reaches a state, as a client of the API would."""

from __future__ import annotations

import time

from cloudviz.store.database import Database
from cloudviz.store.jobs import JobInfo, JobService


def wait_for_job(
    database: Database, job_id: str, statuses: tuple[str, ...], timeout: float = 60
) -> JobInfo:
    deadline = time.monotonic() + timeout
    while True:
        with database.session() as session:
            job = JobService(session).get(job_id)
        if job.status in statuses:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job.status} after {timeout}s")
        time.sleep(0.05)
