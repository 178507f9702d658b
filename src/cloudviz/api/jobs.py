"""Live extraction as background jobs, and the jobs themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cloudviz.api.deps import (
    Audit,
    DbSession,
    Extractor,
    Limit,
    Offset,
    Reader,
    Server,
)
from cloudviz.api.errors import error_responses
from cloudviz.api.paging import PageOut
from cloudviz.api.routing import JsonBodyRoute
from cloudviz.inventory.filters import ResourceFilter, parse_tag_filters
from cloudviz.jobs.tasks import extraction_params
from cloudviz.sources.live import ExtractRequest
from cloudviz.store.jobs import STATUSES, JobInfo, JobService
from cloudviz.store.paging import DEFAULT_LIMIT, PageRequest

router = APIRouter(prefix="/api/v1", tags=["jobs"], route_class=JsonBodyRoute)

JOB_ERRORS = error_responses(401, 403, 404, 409, 422, 503)
JobId = Annotated[str, Path(max_length=64)]


class ExtractFilters(BaseModel):
    """Which discovered resources to keep (shell globs, case-insensitive)."""

    providers: list[str] = Field(default_factory=list)
    accounts: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    resource_groups: list[str] = Field(default_factory=list, examples=[["prod-*"]])
    kinds: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list, examples=[["env=prod"]])
    max_resources: int | None = Field(None, ge=1)

    def to_filter(self) -> ResourceFilter:
        return ResourceFilter(
            providers=tuple(self.providers),
            accounts=tuple(self.accounts),
            regions=tuple(self.regions),
            resource_groups=tuple(self.resource_groups),
            kinds=tuple(self.kinds),
            types=tuple(self.types),
            tags=parse_tag_filters(self.tags),
            max_resources=self.max_resources,
        )


class ExtractBody(BaseModel):
    """Where to look; empty lists mean everything the credentials can see."""

    regions: list[str] = Field(default_factory=list, examples=[["eu-west-1"]])
    profiles: list[str] = Field(default_factory=list)
    role_arns: list[str] = Field(default_factory=list)
    subscriptions: list[str] = Field(default_factory=list)
    projects: list[str] = Field(default_factory=list)
    scope: str | None = Field(None, description="GCP organization/folder scope")
    name: str | None = Field(None, max_length=255, description="Snapshot name")
    filters: ExtractFilters = Field(default_factory=ExtractFilters)


class JobError(BaseModel):
    cv_code: str | None
    message: str | None


class JobOut(BaseModel):
    id: str
    kind: str
    status: str = Field(description="queued, running, succeeded, failed, cancelled")
    progress: float = Field(description="0 to 1")
    progress_message: str | None
    params: dict[str, Any]
    snapshot_id: str | None = Field(description="The snapshot the job stored")
    error: JobError | None
    cancel_requested: bool
    backend: str
    owner_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: JobInfo) -> JobOut:
        return cls.model_validate(job.to_dict())


@router.post(
    "/extract/{provider}",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobOut,
    responses=error_responses(400, 401, 403, 422, 503),
)
async def start_extraction(
    provider: Literal["aws", "azure", "gcp"],
    principal: Extractor,
    state: Server,
    audit: Audit,
    body: ExtractBody | None = None,
) -> JobOut:
    """Discover a provider's estate in the background; poll the returned job."""
    body = body or ExtractBody()
    request = ExtractRequest(
        provider=provider,
        regions=tuple(body.regions),
        profiles=tuple(body.profiles),
        role_arns=tuple(body.role_arns),
        subscriptions=tuple(body.subscriptions),
        projects=tuple(body.projects),
        scope=body.scope,
        filter=body.filters.to_filter(),
        name=body.name,
    )
    job = await run_in_threadpool(
        state.jobs.submit, "extract", extraction_params(request), principal.user_id
    )
    await run_in_threadpool(audit, "job.extract", job.id, provider=provider)
    return JobOut.of(job)


@router.get("/jobs", response_model=PageOut[JobOut], responses=JOB_ERRORS)
def list_jobs(
    session: DbSession,
    principal: Reader,
    status: Annotated[
        Literal[STATUSES] | None,  # type: ignore[valid-type]
        Query(description="Only jobs in this state"),
    ] = None,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
) -> PageOut[JobOut]:
    """Jobs, newest first."""
    page = JobService(session).list(status=status, page=PageRequest(offset, limit))
    return PageOut[JobOut].of(page, JobOut.of)


@router.get("/jobs/{job_id}", response_model=JobOut, responses=JOB_ERRORS)
def get_job(job_id: JobId, session: DbSession, principal: Reader) -> JobOut:
    """A job's state, progress, resulting snapshot and error."""
    return JobOut.of(JobService(session).get(job_id))


def _cancel(state: Server, job_id: str) -> JobOut:
    return JobOut.of(state.jobs.cancel(job_id))


@router.post("/jobs/{job_id}/cancel", response_model=JobOut, responses=JOB_ERRORS)
def cancel_job(
    job_id: JobId, principal: Extractor, state: Server, audit: Audit
) -> JobOut:
    """Cancel a queued job, or ask a running one to stop at its next step."""
    job = _cancel(state, job_id)
    audit("job.cancel", job_id)
    return job


@router.delete("/jobs/{job_id}", response_model=JobOut, responses=JOB_ERRORS)
def delete_job(
    job_id: JobId, principal: Extractor, state: Server, audit: Audit
) -> JobOut:
    """The same as POST /jobs/{job_id}/cancel."""
    return cancel_job(job_id, principal, state, audit)
