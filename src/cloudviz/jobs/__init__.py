"""Background jobs: extraction and other long work, off the request path.

`create_job_runner(settings, database)` gives the API its runner (in-process
thread pool by default, Celery with `jobs.backend: celery`); both call
`execute_job`, which runs a task from `cloudviz.jobs.tasks.TASKS` and records
progress, result and errors in the job's row.
"""

from cloudviz.jobs.execution import execute_job
from cloudviz.jobs.progress import JobCancelledError, JobProgress
from cloudviz.jobs.recovery import RecoveryReport, recover_interrupted_jobs
from cloudviz.jobs.runner import JobRunner, create_job_runner
from cloudviz.jobs.tasks import (
    TASKS,
    extract_request_from_params,
    extraction_params,
    validate_job,
)

__all__ = [
    "TASKS",
    "JobCancelledError",
    "JobProgress",
    "JobRunner",
    "RecoveryReport",
    "create_job_runner",
    "execute_job",
    "extract_request_from_params",
    "extraction_params",
    "recover_interrupted_jobs",
    "validate_job",
]
