"""The progress sink a job's work reports to, and its cancel check.

`JobProgress` implements `cloudviz.progress.Progress`: collectors, importers
and the snapshot store report through it as they do to the CLI's bar. At most
twice a second it writes the job's progress and reads its cancel flag; when
a cancel was requested it raises `JobCancelledError` from `begin` or `advance`, so
the work stops at its next step and its transaction rolls back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from cloudviz.store.database import Database
from cloudviz.store.jobs import JobService

log = logging.getLogger(__name__)

# SQLite has one writer: while the job's own transaction stores a snapshot a
# progress write would wait for it. Progress is best effort, so it waits
# briefly and is skipped if the database stays busy.
_SQLITE_PROGRESS_WAIT_MS = 200
_SQLITE_NORMAL_WAIT_MS = 30_000


class JobCancelledError(Exception):
    """Raised inside a job's work when its cancellation was requested."""


class JobProgress:
    def __init__(
        self,
        database: Database,
        job_id: str,
        *,
        interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.job_id = job_id
        self.interval = interval
        self._clock = clock
        self._task = ""
        self._total: int | None = None
        self._done = 0
        self._last_write = float("-inf")

    def begin(self, task: str, total: int | None) -> None:
        self._task, self._total, self._done = task, total, 0
        self._report(force=True)

    def advance(self, amount: int = 1) -> None:
        self._done += amount
        self._report(force=False)

    def end(self) -> None:
        # Runs in `finally` blocks too: never raise from here.
        if self._total:
            self._done = self._total
        self._write()

    @property
    def fraction(self) -> float:
        if not self._total:
            return 0.0
        return min(1.0, self._done / self._total)

    def _report(self, *, force: bool) -> None:
        now = self._clock()
        if not force and now - self._last_write < self.interval:
            return
        self._last_write = now
        if self._write():
            raise JobCancelledError(self.job_id)

    def _write(self) -> bool:
        """Store the progress; True when a cancellation was requested.

        Progress is best effort: a database that is briefly unreachable must
        not fail the job (its result is written later, or recovery notices).
        """
        try:
            return self._write_row()
        except SQLAlchemyError as error:
            log.warning("job.progress_unwritten id=%s error=%s", self.job_id, error)
            return False

    def _write_row(self) -> bool:
        sqlite = self.database.dialect == "sqlite"
        with self.database.engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql(
                    f"PRAGMA busy_timeout={_SQLITE_PROGRESS_WAIT_MS}"
                )
            try:
                with Session(bind=connection) as session:
                    jobs = JobService(session)
                    try:
                        jobs.record_progress(self.job_id, self.fraction, self._task)
                        session.commit()
                    except OperationalError:
                        session.rollback()
                        log.debug(
                            "job.progress_skipped id=%s (database busy)", self.job_id
                        )
                    return jobs.cancel_requested(self.job_id)
            finally:
                if sqlite:
                    connection.exec_driver_sql(
                        f"PRAGMA busy_timeout={_SQLITE_NORMAL_WAIT_MS}"
                    )
