"""Every failure a user can meet, as one tree of errors with CV codes.

```
CloudVizError                  base: cv_code, http_status, message, hint
 ├── AuthenticationError       CV001  401 (InvalidApiKeyError: 403)
 ├── AuthorizationError        CV002  403
 ├── ConfigurationError        CV003  500, CLI exit 2
 ├── ProviderError             CV004  502
 ├── DatabaseUnavailableError  CV005  503
 ├── CacheUnavailableError     CV006  503
 ├── VisualizationError        CV007  500
 ├── NetworkError              CV008  502
 ├── NotFoundError             CV009  404
 └── ValidationError           CV010  400 (413, 422 where said)
```

Lower layers (botocore, azure-core, SQLAlchemy, ...) are translated into these
at the boundary where they are caught, once; the CLI and the API each render
them in one place.
"""

from __future__ import annotations

from typing import Any


class CloudVizError(Exception):
    """Base of every CloudViz error: a code, an HTTP status and what to do."""

    cv_code = "CV000"
    http_status = 500
    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        http_status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or {}
        if http_status is not None:
            self.http_status = http_status

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class AuthenticationError(CloudVizError):
    cv_code = "CV001"
    http_status = 401


class InvalidApiKeyError(AuthenticationError):
    """An API key that is unknown, revoked or expired (403, as users expect)."""

    http_status = 403


class AuthorizationError(CloudVizError):
    cv_code = "CV002"
    http_status = 403


class ConfigurationError(CloudVizError):
    cv_code = "CV003"
    http_status = 500
    exit_code = 2


class ProviderError(CloudVizError):
    cv_code = "CV004"
    http_status = 502


class DatabaseUnavailableError(CloudVizError):
    cv_code = "CV005"
    http_status = 503


class CacheUnavailableError(CloudVizError):
    cv_code = "CV006"
    http_status = 503


class VisualizationError(CloudVizError):
    cv_code = "CV007"
    http_status = 500


class NetworkError(CloudVizError):
    cv_code = "CV008"
    http_status = 502


class NotFoundError(CloudVizError):
    cv_code = "CV009"
    http_status = 404


class ValidationError(CloudVizError):
    cv_code = "CV010"
    http_status = 400


__all__ = [
    "AuthenticationError",
    "AuthorizationError",
    "CacheUnavailableError",
    "CloudVizError",
    "ConfigurationError",
    "DatabaseUnavailableError",
    "InvalidApiKeyError",
    "NetworkError",
    "NotFoundError",
    "ProviderError",
    "ValidationError",
    "VisualizationError",
]
