"""Diagrams of stored snapshots, in every format the diagram engine writes.

The diagram route is the hottest one (dashboards and browsers poll it, and a
cached diagram should cost little more than a bare endpoint), so it runs on
`DiagramRoute`: FastAPI still documents and validates it, but a well-formed
request has its arguments resolved directly, by the same dependency functions
FastAPI would call, instead of by FastAPI's generic per-request solver (which
costs several times what serving a cached diagram does).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from cloudviz.api.deps import (
    Server,
    Visualizer,
    api_key_scheme,
    bearer_scheme,
    current_principal,
    require_visualize,
    server_state,
)
from cloudviz.api.errors import error_responses
from cloudviz.api.state import ServerState
from cloudviz.diagram.options import RenderOptions
from cloudviz.inventory.model import Inventory
from cloudviz.snapshot_diagrams import DiagramRequest
from cloudviz.store.snapshots import SnapshotService


class DiagramRoute(APIRoute):
    """The diagram route, with its arguments resolved without FastAPI's solver.

    For a request whose query parameters are each known and given once, the
    handler calls what the route's dependencies are, in FastAPI's order:
    `server_state`, the bearer and API key schemes, `current_principal` and
    `require_visualize` (so 401 and 403 are raised exactly as before), then
    validates the query with `DiagramQuery` itself and calls the route
    function. Anything else (an unknown, repeated or invalid parameter) goes
    to FastAPI's own handler, so its 422 answers stay FastAPI's.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        standard = super().get_route_handler()

        async def handle(request: Request) -> Response:
            query = well_formed_query(request)
            if query is None:
                return await standard(request)
            state = await server_state(request)
            credentials = await bearer_scheme(request)
            api_key = await api_key_scheme(request)
            principal = await current_principal(state, credentials, api_key)
            principal = await require_visualize(principal)
            headers = request.headers
            return await snapshot_diagram(
                request.path_params["snapshot_id"],
                query,
                principal,
                state,
                if_none_match=headers.get("if-none-match"),
                accept_encoding=headers.get("accept-encoding"),
            )

        return handle


router = APIRouter(
    prefix="/api/v1/snapshots", tags=["diagrams"], route_class=DiagramRoute
)

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

    # Frozen: one parsed query may be shared by many requests.
    model_config = ConfigDict(extra="forbid", frozen=True)

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


def well_formed_query(request: Request) -> DiagramQuery | None:
    """The query as `DiagramQuery`, or None when FastAPI should judge it.

    Clients repeat the same few queries, so parsed ones are remembered by
    their raw text (a bounded number of them).
    """
    raw: bytes = request.scope["query_string"]
    query = _parsed_queries.get(raw)
    if query is None:
        pairs = request.query_params.multi_items()
        given = dict(pairs)
        if len(given) != len(pairs) or not given.keys() <= DIAGRAM_QUERY_FIELDS:
            return None
        try:
            query = DiagramQuery.model_validate(given)
        except ValidationError:
            return None
        if len(_parsed_queries) >= MAX_PARSED_QUERIES:
            _parsed_queries.clear()
        _parsed_queries[raw] = query
    return query


MAX_PARSED_QUERIES = 512
_parsed_queries: dict[bytes, DiagramQuery] = {}


DIAGRAM_QUERY_FIELDS = frozenset(DiagramQuery.model_fields)


@functools.lru_cache(maxsize=1024)
def diagram_request(
    snapshot_id: str, query: DiagramQuery, max_nodes_per_page: int, timeout: float
) -> DiagramRequest:
    """What `query` asks of one snapshot, with the server's render limits.

    Remembered (the same few diagrams are asked for over and over), so its
    cache key and ETags are worked out once.
    """
    options = RenderOptions(
        format=query.format,
        view=query.view,
        theme=query.theme,
        collapse=query.collapse,
        paginate=query.paginate or query.page is not None,
        page=query.page,
        max_nodes_per_page=query.max_nodes_per_page or max_nodes_per_page,
        group_by=query.group_by,
        timeout=timeout,
    )
    return DiagramRequest(snapshot_id, options, query.diff_against)


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
    request = diagram_request(
        snapshot_id, query, limits.max_nodes_per_page, limits.timeout
    )
    diff_against = query.diff_against

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
