"""The API's one error boundary: every failure becomes the same JSON envelope.

```json
{"error": "Token has expired", "code": 401, "cv_code": "CV001",
 "request_id": "3f0c...", "hint": "log in again or use /auth/refresh"}
```

A 429 adds `retry_after` (seconds) beside a `Retry-After` header. FastAPI's own
failures (validation, unknown route, wrong method) and lower-layer errors
(SQLAlchemy losing the database) are translated into CloudViz errors first, so
`render_error` is the only place an error body is built.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from cloudviz.errors import (
    CloudVizError,
    DatabaseUnavailableError,
    NotFoundError,
    ValidationError,
)

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str = Field(description="What went wrong, for a person to read.")
    code: int = Field(description="The HTTP status, repeated for log readers.")
    cv_code: str = Field(description="CloudViz error code, CV001 to CV010.")
    request_id: str = Field(description="Quote it when reporting a problem.")
    hint: str | None = Field(None, description="What to do about it.")
    retry_after: int | None = Field(
        None, description="Seconds to wait before retrying (429 only)."
    )


class RateLimitExceededError(CloudVizError):
    """Too many requests from one API key, user or address (HTTP 429)."""

    cv_code = "CV010"
    http_status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Rate limit exceeded",
            hint=f"wait {retry_after} s; back off exponentially in scripts",
        )
        self.retry_after = retry_after


class RequestTooLargeError(ValidationError):
    http_status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"request body is larger than the {limit} bytes allowed",
            hint="send a smaller body or raise api.max_request_size",
        )


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429, 500, 503)
ERROR_DESCRIPTIONS = {
    400: "Bad input (CV010)",
    401: "Missing, invalid or expired token (CV001)",
    403: "Invalid API key (CV001) or insufficient permissions (CV002)",
    404: "Not found (CV009)",
    409: "Conflicts with the current state (CV010)",
    413: "Request body too large (CV010)",
    422: "Request does not match the schema (CV010)",
    429: "Rate limit exceeded",
    500: "Internal error",
    503: "Database unavailable (CV005)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry declaring the error envelope for OpenAPI."""
    chosen = statuses or ERROR_STATUSES
    return {
        status: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]}
        for status in chosen
    }


def request_id_of(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


def error_body(error: CloudVizError, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "error": error.message,
        "code": error.http_status,
        "cv_code": error.cv_code,
        "request_id": request_id,
    }
    if error.hint:
        body["hint"] = error.hint
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        body["retry_after"] = retry_after
    return body


def render_error(error: CloudVizError, request_id: str) -> JSONResponse:
    """The one place an error response is built.

    The request middleware adds `X-Request-ID` to every response, this one too.
    """
    headers: dict[str, str] = {}
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if error.http_status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(
        error_body(error, request_id), status_code=error.http_status, headers=headers
    )


def translate_exception(exc: BaseException) -> CloudVizError | None:
    """A CloudViz error for a lower-layer failure we know, else None."""
    if isinstance(exc, CloudVizError):
        return exc
    module = type(exc).__module__
    if module.startswith("sqlalchemy") and type(exc).__name__ in (
        "OperationalError",
        "InterfaceError",
        "DisconnectionError",
        "TimeoutError",
    ):
        return DatabaseUnavailableError(
            "the database is unavailable",
            hint="check the database server; CloudViz reconnects by itself",
        )
    return None


def _describe_validation(exc: RequestValidationError) -> ValidationError:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    problem = first.get("msg", "invalid request")
    message = f"{where}: {problem}" if where else str(problem)
    return ValidationError(
        message,
        http_status=422,
        hint="see /docs for the request schema",
        details={"errors": exc.errors()},
    )


def _from_http_exception(exc: StarletteHTTPException) -> CloudVizError:
    if exc.status_code == 404:
        return NotFoundError("no such endpoint", hint="see /docs for the API")
    if exc.status_code == 405:
        return ValidationError(
            "method not allowed on this endpoint",
            http_status=405,
            hint="see /docs for the methods each endpoint accepts",
        )
    detail = exc.detail if isinstance(exc.detail, str) else "request refused"
    return ValidationError(detail, http_status=exc.status_code)


async def _handle_cloudviz_error(request: Request, exc: Exception) -> JSONResponse:
    error = translate_exception(exc)
    assert error is not None
    if error.http_status >= 500:
        log.warning("request.failed cv_code=%s error=%s", error.cv_code, error)
    return render_error(error, request_id_of(request))


async def _handle_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return render_error(_describe_validation(exc), request_id_of(request))


async def _handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    response = render_error(_from_http_exception(exc), request_id_of(request))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Route every known failure through `render_error`.

    Unexpected exceptions are caught by the request middleware, which turns
    them into a 500 envelope without a traceback (the log keeps it).
    """
    app.add_exception_handler(CloudVizError, _handle_cloudviz_error)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
    try:
        from sqlalchemy.exc import DBAPIError, DisconnectionError, TimeoutError
    except ImportError:  # the server extra always has it; keep imports lazy
        return
    for exc_class in (DBAPIError, DisconnectionError, TimeoutError):
        app.add_exception_handler(exc_class, _handle_database_error)


async def _handle_database_error(request: Request, exc: Exception) -> JSONResponse:
    error = translate_exception(exc)
    if error is None:
        # A DBAPIError that is not a lost connection (an integrity error the
        # service should have caught): a bug, reported as a plain 500.
        log.error("request.database_error", exc_info=exc)
        error = CloudVizError("internal error", hint="see the server log")
    return render_error(error, request_id_of(request))
