"""Diagrams of stored snapshots, in every format the diagram engine writes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from cloudviz.api.deps import Server, Visualizer
from cloudviz.api.errors import error_responses
from cloudviz.api.state import ServerState
from cloudviz.diagram.options import RenderOptions
from cloudviz.inventory.model import Inventory
from cloudviz.snapshot_diagrams import DiagramRequest
from cloudviz.store.snapshots import SnapshotService

router = APIRouter(prefix="/api/v1/snapshots", tags=["diagrams"])

Format = Literal["svg", "png", "pdf", "drawio", "html", "mermaid", "dot", "json"]
View = Literal["architecture", "network", "dependencies"]
Theme = Literal["light", "dark"]

DIAGRAM_CONTENT: dict[str, dict[str, str]] = {
    media: {}
    for media in (
        "image/svg+xml",
        "image/png",
        "application/pdf",
        "application/xml",
        "text/html",
        "text/plain",
        "application/json",
    )
}


class DiagramQuery(BaseModel):
    """What to draw; the same options as `cloudviz render`."""

    model_config = ConfigDict(extra="forbid")

    format: Format = "svg"
    view: View = "architecture"
    theme: Theme = "light"
    collapse: str | None = Field(
        None, max_length=200, description="`kind`, or `tag:KEY` to group by a tag"
    )
    paginate: bool = False
    page: int | None = Field(None, ge=1, le=100_000, description="One page only")
    max_nodes_per_page: int | None = Field(None, ge=1, le=100_000)
    group_by: Literal["none", "resource-group"] = "none"
    diff_against: str | None = Field(
        None, max_length=64, description="Colour changes since this snapshot"
    )


def snapshot_info(state: ServerState, snapshot_id: str) -> None:
    """404 (CV009) unless the snapshot exists."""
    with state.database.session() as session:
        SnapshotService(session).info(snapshot_id)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether the client takes gzip (and did not refuse it with q=0)."""
    for part in (accept_encoding or "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00")
    return False


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


@router.get(
    "/{snapshot_id}/diagram",
    response_class=Response,
    responses={
        200: {"content": DIAGRAM_CONTENT, "description": "The diagram"},
        304: {"description": "Not modified (If-None-Match matched the ETag)"},
        **error_responses(401, 403, 404, 422, 500, 503),
    },
)
async def snapshot_diagram(
    snapshot_id: str,
    query: Annotated[DiagramQuery, Query()],
    principal: Visualizer,
    state: Server,
    if_none_match: Annotated[str | None, Header()] = None,
    accept_encoding: Annotated[str | None, Header()] = None,
) -> Response:
    """Render a snapshot (cached; revalidate with If-None-Match for a 304)."""
    limits = state.settings.visualization.limits
    options = RenderOptions(
        format=query.format,
        view=query.view,
        theme=query.theme,
        collapse=query.collapse,
        paginate=query.paginate or query.page is not None,
        page=query.page,
        max_nodes_per_page=query.max_nodes_per_page or limits.max_nodes_per_page,
        group_by=query.group_by,
        timeout=limits.timeout,
    )
    diff_against = query.diff_against
    request = DiagramRequest(snapshot_id, options, diff_against)

    for wanted in (snapshot_id, diff_against):
        if wanted and not state.snapshots_seen.get(wanted):
            await run_in_threadpool(snapshot_info, state, wanted)
            state.snapshots_seen.put(wanted, True)
    gzip_ok = accepts_gzip(accept_encoding)
    headers = {"Cache-Control": "private, no-cache", "Vary": "Accept-Encoding"}
    for etag in (request.etag("gzip"), request.etag()):
        if etag_matches(if_none_match, etag):
            return Response(status_code=304, headers={**headers, "ETag": etag})

    def load(wanted: str) -> Inventory:
        with state.database.session() as own_session:
            return SnapshotService(own_session).get(wanted)

    diagram = await state.diagrams.diagram(request, load, gzip_ok=gzip_ok)
    headers["ETag"] = diagram.etag
    headers["X-Cache"] = "HIT" if diagram.cached else "MISS"
    if diagram.encoding:
        headers["Content-Encoding"] = diagram.encoding
    return Response(diagram.content, media_type=diagram.media_type, headers=headers)
