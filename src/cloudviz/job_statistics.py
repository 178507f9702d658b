"""Job counts and extraction durations, read from the database for /metrics.

Reading them from the job rows rather than counting in memory makes them
right whichever API worker is scraped and includes jobs Celery workers ran.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from cloudviz.store.database import Database
from cloudviz.store.models import Job


@dataclass(frozen=True, slots=True)
class ExtractionDuration:
    provider: str
    outcome: str
    seconds: float


def count_jobs_by_status(database: Database) -> dict[str, int]:
    with database.session() as session:
        rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
        return {str(status): int(count) for status, count in rows}


def extraction_durations(database: Database) -> list[ExtractionDuration]:
    """How long each finished extraction took, by provider and outcome."""
    query = select(Job.params, Job.status, Job.started_at, Job.finished_at).where(
        Job.kind == "extract",
        Job.started_at.is_not(None),
        Job.finished_at.is_not(None),
    )
    with database.session() as session:
        return [
            ExtractionDuration(
                provider=str((params or {}).get("provider", "unknown")),
                outcome=str(status),
                seconds=max(0.0, (finished - started).total_seconds()),
            )
            for params, status, started, finished in session.execute(query)
        ]
