"""Snapshots: store an inventory or an export, list, read, query, diff, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cloudviz.api.deps import (
    Audit,
    DbSession,
    Limit,
    Offset,
    Reader,
    Server,
    Writer,
)
from cloudviz.api.errors import error_responses
from cloudviz.api.paging import PageOut
from cloudviz.errors import ValidationError
from cloudviz.inventory.codec import decode_json
from cloudviz.inventory.filters import parse_tag_filters
from cloudviz.store.paging import DEFAULT_LIMIT, PageRequest
from cloudviz.store.snapshots import (
    ResourceQuery,
    SnapshotFilter,
    SnapshotInfo,
    SnapshotService,
)

router = APIRouter(prefix="/api/v1/snapshots", tags=["snapshots"])

READ_ERRORS = error_responses(401, 403, 404, 422, 503)


class SourceOut(BaseModel):
    kind: str
    detail: dict[str, Any]


class SnapshotOut(BaseModel):
    id: str
    name: str
    created_at: str
    stored_at: str
    source: SourceOut
    resource_count: int
    relationship_count: int
    error_count: int
    errors: list[dict[str, str]]
    owner_id: int | None

    @classmethod
    def of(cls, info: SnapshotInfo) -> SnapshotOut:
        return cls.model_validate(info.to_dict())


class ResourceOut(BaseModel):
    id: str
    provider: str
    type: str
    kind: str
    name: str
    account: str | None
    region: str | None
    zone: str | None
    group: str | None
    parent: str | None
    tags: dict[str, str]
    properties: dict[str, Any]


class DiffOut(BaseModel):
    old: str = Field(description="The baseline snapshot.")
    new: str = Field(description="The snapshot compared with it.")
    summary: dict[str, int]
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    relationships: dict[str, list[dict[str, str]]]


Many = Annotated[list[str] | None, Query()]

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A CloudViz inventory (schema_version 1); "
                    "see `cloudviz schema`.",
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "name": {"type": "string"},
                        "format": {"type": "string", "default": "auto"},
                    },
                }
            },
        },
    }
}


async def _read_upload(request: Request) -> tuple[str, Any]:
    """("document", decoded JSON) or ("file", (bytes, filename, name, format))."""
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationError(
                "file: a multipart upload needs a part named 'file'",
                hint="curl -F file=@estate.json .../api/v1/snapshots",
            )
        name, file_format = form.get("name"), form.get("format")
        return "file", (
            await upload.read(),
            upload.filename or "upload",
            name if isinstance(name, str) and name else None,
            file_format if isinstance(file_format, str) and file_format else "auto",
        )
    body = await request.body()
    if not body.strip():
        raise ValidationError(
            "the request has no body",
            hint="send an inventory as JSON, or a file as multipart/form-data",
        )
    return "document", await run_in_threadpool(decode_json, body, "request body")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SnapshotOut,
    responses=error_responses(400, 401, 403, 413, 422, 503),
    openapi_extra=UPLOAD_BODY,
)
async def create_snapshot(
    request: Request, session: DbSession, principal: Writer, audit: Audit
) -> SnapshotOut:
    """Store an inventory (JSON body) or an uploaded export (multipart `file`).

    Uploads may be in any format `cloudviz import` reads; the format is
    detected from the content unless the `format` field names it.
    """
    kind, payload = await _read_upload(request)
    service = SnapshotService(session)
    if kind == "document":
        info = await run_in_threadpool(
            service.create_from_document, payload, principal.user_id
        )
    else:
        data, filename, name, file_format = payload
        info = await run_in_threadpool(
            lambda: service.create_from_upload(
                data, filename, principal.user_id, name=name, file_format=file_format
            )
        )
    await run_in_threadpool(
        audit, "snapshot.create", info.id, resources=info.resource_count
    )
    return SnapshotOut.of(info)


@router.get("", response_model=PageOut[SnapshotOut], responses=READ_ERRORS)
def list_snapshots(
    session: DbSession,
    principal: Reader,
    name: Annotated[str | None, Query(description="Name contains")] = None,
    source: Annotated[str | None, Query(description="Source kind")] = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
) -> PageOut[SnapshotOut]:
    """Snapshots, newest first, filtered by name, source and creation time."""
    criteria = SnapshotFilter(
        name=name,
        source_kind=source,
        created_after=created_after,
        created_before=created_before,
    )
    page = SnapshotService(session).list(criteria, PageRequest(offset, limit))
    return PageOut[SnapshotOut].of(page, SnapshotOut.of)


@router.get("/{snapshot_id}", response_model=SnapshotOut, responses=READ_ERRORS)
def get_snapshot(
    snapshot_id: str, session: DbSession, principal: Reader
) -> SnapshotOut:
    """One snapshot's metadata and counts."""
    return SnapshotOut.of(SnapshotService(session).info(snapshot_id))


@router.delete(
    "/{snapshot_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=READ_ERRORS,
)
async def delete_snapshot(
    snapshot_id: str, session: DbSession, principal: Writer, audit: Audit, state: Server
) -> None:
    """Delete a snapshot, its resources and its cached diagrams."""
    await run_in_threadpool(SnapshotService(session).delete, snapshot_id)
    await run_in_threadpool(audit, "snapshot.delete", snapshot_id)
    state.snapshots_seen.forget(snapshot_id)
    await state.diagrams.forget_snapshot(snapshot_id)


@router.get(
    "/{snapshot_id}/resources",
    response_model=PageOut[ResourceOut],
    responses=READ_ERRORS,
)
def list_resources(
    snapshot_id: str,
    session: DbSession,
    principal: Reader,
    kind: Many = None,
    region: Many = None,
    provider: Many = None,
    tag: Annotated[
        list[str] | None, Query(description="KEY=VALUE, or KEY for any value")
    ] = None,
    q: Annotated[str | None, Query(description="Text in the name or id")] = None,
    offset: Offset = 0,
    limit: Limit = DEFAULT_LIMIT,
) -> PageOut[ResourceOut]:
    """A snapshot's resources, filtered (globs like `compute.*`) and paged."""
    query = ResourceQuery(
        kinds=tuple(kind or ()),
        regions=tuple(region or ()),
        providers=tuple(provider or ()),
        tags=parse_tag_filters(tag or []),
        text=q,
        page=PageRequest(offset, limit),
    )
    page = SnapshotService(session).resources(snapshot_id, query)
    return PageOut[ResourceOut].of(
        page, lambda resource: ResourceOut.model_validate(resource.to_dict())
    )


def _diff(session: DbSession, baseline: str, snapshot_id: str) -> DiffOut:
    diff = SnapshotService(session).diff(baseline, snapshot_id)
    return DiffOut(old=baseline, new=snapshot_id, **diff.to_dict())


@router.get("/{snapshot_id}/diff", response_model=DiffOut, responses=READ_ERRORS)
def diff_against(
    snapshot_id: str,
    session: DbSession,
    principal: Reader,
    against: Annotated[str, Query(description="The baseline snapshot id")],
) -> DiffOut:
    """What changed from the `against` snapshot to this one."""
    return _diff(session, against, snapshot_id)


@router.get(
    "/{snapshot_id}/diff/{other_id}", response_model=DiffOut, responses=READ_ERRORS
)
def diff_snapshots(
    snapshot_id: str, other_id: str, session: DbSession, principal: Reader
) -> DiffOut:
    """What changed from `other_id` (the baseline) to this snapshot."""
    return _diff(session, other_id, snapshot_id)
