"""Job rows: what was asked, how far it got, how it ended.

A job moves `queued` → `running` → `succeeded` | `failed` | `cancelled`.
Moving to `running` is a conditional UPDATE (`claim`), so when several
workers are offered the same job exactly one runs it. Cancelling a queued
job ends it at once; a running job gets `cancel_requested`, which its
progress sink notices and stops at the next step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from cloudviz.errors import NotFoundError, ValidationError
from cloudviz.store.models import Job
from cloudviz.store.paging import Page, PageRequest
from cloudviz.store.timestamps import format_optional

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = (
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
)
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)
FINISHED = frozenset({SUCCEEDED, FAILED, CANCELLED})


@dataclass(frozen=True, slots=True)
class JobInfo:
    id: str
    kind: str
    status: str
    progress: float
    progress_message: str | None
    params: dict[str, Any]
    result_snapshot_id: str | None
    error_code: str | None
    error_message: str | None
    cancel_requested: bool
    backend: str
    worker: str | None
    owner_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Job) -> JobInfo:
        return cls(
            id=row.id,
            kind=row.kind,
            status=row.status,
            progress=row.progress,
            progress_message=row.progress_message,
            params=dict(row.params or {}),
            result_snapshot_id=row.result_snapshot_id,
            error_code=row.error_code,
            error_message=row.error_message,
            cancel_requested=row.cancel_requested,
            backend=row.backend,
            worker=row.worker,
            owner_id=row.owner_id,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            updated_at=row.updated_at,
        )

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def to_dict(self) -> dict[str, Any]:
        error = None
        if self.error_code or self.error_message:
            error = {"cv_code": self.error_code, "message": self.error_message}
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": round(self.progress, 4),
            "progress_message": self.progress_message,
            "params": self.params,
            "snapshot_id": self.result_snapshot_id,
            "error": error,
            "cancel_requested": self.cancel_requested,
            "backend": self.backend,
            "worker": self.worker,
            "owner_id": self.owner_id,
            "created_at": format_optional(self.created_at),
            "started_at": format_optional(self.started_at),
            "finished_at": format_optional(self.finished_at),
            "updated_at": format_optional(self.updated_at),
        }


def _now() -> datetime:
    return datetime.now(UTC)


class JobService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, job_id: str) -> Job:
        row = self.session.get(Job, job_id)
        if row is None:
            raise NotFoundError(
                f"job {job_id!r} not found", hint="list jobs with GET /api/v1/jobs"
            )
        return row

    def create(
        self,
        kind: str,
        params: dict[str, Any],
        owner_id: int | None = None,
        *,
        backend: str = "local",
    ) -> JobInfo:
        row = Job(
            id=str(uuid.uuid4()),
            kind=kind,
            status=QUEUED,
            progress=0.0,
            params=params,
            owner_id=owner_id,
            backend=backend,
            cancel_requested=False,
        )
        self.session.add(row)
        self.session.flush()
        return JobInfo.from_row(row)

    def get(self, job_id: str) -> JobInfo:
        row = self._row(job_id)
        self.session.refresh(row)
        return JobInfo.from_row(row)

    def cancel(self, job_id: str) -> JobInfo:
        """Cancel: a queued job ends now, a running one is asked to stop."""
        row = self._row(job_id)
        if row.status in FINISHED:
            raise ValidationError(
                f"job {job_id} has already {row.status}",
                hint="only queued or running jobs can be cancelled",
                http_status=409,
            )
        now = _now()
        if row.status == QUEUED:
            row.status = CANCELLED
            row.finished_at = now
        row.cancel_requested = True
        row.updated_at = now
        self.session.flush()
        return JobInfo.from_row(row)

    def claim(self, job_id: str, worker: str, *, reclaim: bool = False) -> bool:
        """Move a queued job to running for `worker`; False if it is not queued.

        `reclaim` also takes a job left `running` (a message redelivered after
        its worker died).
        """
        allowed: ColumnElement[bool] = Job.status == QUEUED
        if reclaim:
            allowed = Job.status.in_((QUEUED, RUNNING))
        now = _now()
        result = self.session.execute(
            update(Job)
            .where(Job.id == job_id, allowed, Job.cancel_requested.is_(False))
            .values(status=RUNNING, worker=worker, started_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    def record_progress(
        self, job_id: str, fraction: float, message: str | None
    ) -> None:
        self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == RUNNING)
            .values(
                progress=max(0.0, min(1.0, fraction)),
                progress_message=(message or "")[:255] or None,
                updated_at=_now(),
            )
            .execution_options(synchronize_session=False)
        )

    def cancel_requested(self, job_id: str) -> bool:
        found = self.session.execute(
            select(Job.cancel_requested).where(Job.id == job_id)
        ).scalar_one_or_none()
        return bool(found)

    def _finish(self, job_id: str, status: str, **values: Any) -> JobInfo:
        row = self._row(job_id)
        now = _now()
        row.status = status
        row.finished_at = now
        row.updated_at = now
        for key, value in values.items():
            setattr(row, key, value)
        self.session.flush()
        return JobInfo.from_row(row)

    def succeed(self, job_id: str, snapshot_id: str | None) -> JobInfo:
        return self._finish(
            job_id, SUCCEEDED, progress=1.0, result_snapshot_id=snapshot_id
        )

    def fail(self, job_id: str, code: str, message: str) -> JobInfo:
        return self._finish(job_id, FAILED, error_code=code, error_message=message)

    def mark_cancelled(self, job_id: str) -> JobInfo:
        return self._finish(job_id, CANCELLED)

    def unfinished(self, backend: str) -> list[JobInfo]:
        rows = self.session.scalars(
            select(Job)
            .where(Job.backend == backend, Job.status.in_((QUEUED, RUNNING)))
            .order_by(Job.created_at)
        )
        return [JobInfo.from_row(row) for row in rows]

    def requeue(self, job_id: str) -> None:
        row = self._row(job_id)
        row.status = QUEUED
        row.worker = None
        row.started_at = None
        row.progress = 0.0
        row.updated_at = _now()
        self.session.flush()

    def list(
        self,
        *,
        status: str | None = None,
        owner_id: int | None = None,
        page: PageRequest | None = None,
    ) -> Page[JobInfo]:
        """Jobs, newest first."""
        page = page or PageRequest()
        if status is not None and status not in STATUSES:
            raise ValidationError(
                f"unknown job status {status!r}",
                hint="use one of: " + ", ".join(STATUSES),
            )
        conditions: list[ColumnElement[bool]] = []
        if status:
            conditions.append(Job.status == status)
        if owner_id is not None:
            conditions.append(Job.owner_id == owner_id)
        total = self.session.execute(
            select(func.count()).select_from(Job).where(*conditions)
        ).scalar_one()
        rows = self.session.scalars(
            select(Job)
            .where(*conditions)
            .order_by(Job.created_at.desc(), Job.id)
            .offset(page.offset)
            .limit(page.limit)
        )
        return Page([JobInfo.from_row(r) for r in rows], total, page.offset, page.limit)
