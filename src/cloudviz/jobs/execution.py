"""Running one job: claim it, run its task, record how it ended."""

from __future__ import annotations

import logging
import time

from cloudviz.config import Settings
from cloudviz.errors import CloudVizError
from cloudviz.jobs.progress import JobCancelledError, JobProgress
from cloudviz.jobs.tasks import TASKS, JobContext
from cloudviz.store.database import Database
from cloudviz.store.jobs import JobInfo, JobService

log = logging.getLogger(__name__)

INTERNAL_ERROR_CODE = "CV000"


def execute_job(
    database: Database,
    settings: Settings,
    job_id: str,
    worker: str,
    *,
    reclaim: bool = False,
) -> JobInfo | None:
    """Run job `job_id` if it is still queued; its final state, or None.

    None means another worker has it or it was cancelled before it started.
    Every outcome is written to the job row: success with the snapshot id,
    failure with the error's CV code and message, or cancellation.
    """
    with database.session() as session:
        jobs = JobService(session)
        if not jobs.claim(job_id, worker, reclaim=reclaim):
            log.info("job.skipped id=%s (not queued)", job_id)
            return None
        job = jobs.get(job_id)

    log.info("job.started id=%s kind=%s worker=%s", job_id, job.kind, worker)
    started = time.perf_counter()
    context = JobContext(
        database=database,
        settings=settings,
        job_id=job_id,
        params=job.params,
        owner_id=job.owner_id,
        progress=JobProgress(database, job_id),
    )
    outcome: tuple[str, str | None, str | None]
    try:
        snapshot_id = TASKS[job.kind](context)
    except JobCancelledError:
        outcome = ("cancelled", None, None)
    except CloudVizError as error:
        outcome = ("failed", error.cv_code, str(error))
    except Exception as error:  # a bug must still end the job, not leave it running
        log.exception("job.crashed id=%s", job_id)
        outcome = (
            "failed",
            INTERNAL_ERROR_CODE,
            f"unexpected {type(error).__name__}: {error}",
        )
    else:
        outcome = ("succeeded", snapshot_id, None)

    with database.session() as session:
        jobs = JobService(session)
        status, first, second = outcome
        if status == "succeeded":
            final = jobs.succeed(job_id, first)
        elif status == "cancelled":
            final = jobs.mark_cancelled(job_id)
        else:
            final = jobs.fail(job_id, first or INTERNAL_ERROR_CODE, second or "")
    log.info(
        "job.finished id=%s status=%s seconds=%.2f code=%s",
        job_id,
        final.status,
        time.perf_counter() - started,
        final.error_code,
    )
    return final
