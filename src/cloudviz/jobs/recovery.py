"""Start-up clean-up: no job stays `running` after the process running it died.

Each worker names itself `local:<host>:<pid>:<boot id>` or
`celery:<node name>`. At start-up a local runner fails the running jobs of
dead processes on its host (the boot id tells a reused pid, as in containers
where the server is always pid 1, from the process that really ran the job)
and re-queues the queued ones, which lived only in that process's memory. A
Celery worker fails the jobs it was running when it last stopped.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass, field

from cloudviz.store.database import Database
from cloudviz.store.jobs import QUEUED, RUNNING, JobService

log = logging.getLogger(__name__)

BOOT_ID = secrets.token_hex(4)
INTERRUPTED = "interrupted: the process running this job stopped; run it again"


def local_worker_name() -> str:
    return f"local:{socket.gethostname()}:{os.getpid()}:{BOOT_ID}"


@dataclass(slots=True)
class RecoveryReport:
    failed: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _local_worker_is_dead(worker: str | None) -> bool:
    if not worker:
        return True
    parts = worker.split(":")
    if len(parts) != 4 or parts[0] != "local":
        return True
    _, host, pid_text, boot_id = parts
    if host != socket.gethostname():
        return False  # another machine's job: only that machine can tell
    try:
        pid = int(pid_text)
    except ValueError:
        return True
    if pid == os.getpid():
        return boot_id != BOOT_ID
    return not _pid_alive(pid)


def recover_interrupted_jobs(
    database: Database, backend: str = "local", *, worker: str | None = None
) -> RecoveryReport:
    """Fail jobs whose process died; re-queue the local queue's jobs.

    For `backend="celery"` pass the worker's own name: its running jobs were
    cut off by its last stop.
    """
    report = RecoveryReport()
    with database.session() as session:
        jobs = JobService(session)
        for job in jobs.unfinished(backend):
            if job.status == RUNNING:
                dead = (
                    job.worker == worker
                    if backend == "celery"
                    else _local_worker_is_dead(job.worker)
                )
                if dead:
                    jobs.fail(job.id, "CV000", INTERRUPTED)
                    report.failed.append(job.id)
            elif job.status == QUEUED and backend == "local":
                report.requeued.append(job.id)
    if report.failed or report.requeued:
        log.warning(
            "jobs.recovered backend=%s failed=%s requeued=%s",
            backend,
            len(report.failed),
            len(report.requeued),
        )
    return report
