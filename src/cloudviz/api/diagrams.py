"""Diagrams of stored snapshots, in every format the diagram engine writes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from starlette.concurrency import run_in_threadpool

from cloudviz.api.deps import DbSession, Server, Visualizer
from cloudviz.api.errors import error_responses
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
    session: DbSession,
    principal: Visualizer,
    state: Server,
    format: Format = "svg",
    view: View = "architecture",
    theme: Theme = "light",
    collapse: Annotated[
        str | None, Query(description="`kind`, or `tag:KEY` to group by a tag")
    ] = None,
    paginate: bool = False,
    page: Annotated[int | None, Query(ge=1, description="One page only")] = None,
    max_nodes_per_page: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    group_by: Literal["none", "resource-group"] = "none",
    diff_against: Annotated[
        str | None, Query(description="Colour changes since this snapshot")
    ] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Render a snapshot (cached; revalidate with If-None-Match for a 304)."""
    limits = state.settings.visualization.limits
    options = RenderOptions(
        format=format,
        view=view,
        theme=theme,
        collapse=collapse,
        paginate=paginate or page is not None,
        page=page,
        max_nodes_per_page=max_nodes_per_page or limits.max_nodes_per_page,
        group_by=group_by,
        timeout=limits.timeout,
    )
    request = DiagramRequest(snapshot_id, options, diff_against)

    snapshots = SnapshotService(session)
    await run_in_threadpool(snapshots.info, snapshot_id)
    if diff_against:
        await run_in_threadpool(snapshots.info, diff_against)
    headers = {"ETag": request.etag(), "Cache-Control": "private, no-cache"}
    if etag_matches(if_none_match, request.etag()):
        return Response(status_code=304, headers=headers)

    def load(wanted: str) -> Inventory:
        with state.database.session() as own_session:
            return SnapshotService(own_session).get(wanted)

    diagram = await state.diagrams.diagram(request, load)
    headers["X-Cache"] = "HIT" if diagram.cached else "MISS"
    return Response(diagram.content, media_type=diagram.media_type, headers=headers)
