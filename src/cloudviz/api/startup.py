"""What `cloudviz server start` checks and prepares before it accepts requests.

Run once per server start, before the uvicorn workers are spawned:

- outside development (`auth.environment: production`) the JWT secret must be
  set and must not be the built-in default, or the server refuses to start
  (CV003): tokens signed with a published secret can be forged by anyone;
- with multiple workers, prometheus-client's multiprocess directory is set so
  `/metrics` sums every worker.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from cloudviz.config import DEFAULT_JWT_SECRET, Settings
from cloudviz.errors import ConfigurationError

log = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 32


def check_jwt_secret(settings: Settings) -> None:
    """CV003 when a non-development server would sign tokens with a weak secret."""
    if settings.auth.environment == "development":
        return
    secret = settings.auth.jwt_secret.get_secret_value()
    if not secret or secret == DEFAULT_JWT_SECRET:
        raise ConfigurationError(
            "auth.jwt_secret is missing or still the default; refusing to start "
            f"in {settings.auth.environment}",
            hint="set CLOUDVIZ_AUTH__JWT_SECRET to a random value, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`',
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"auth.jwt_secret is shorter than {MIN_SECRET_LENGTH} characters",
            hint="use a random value of at least 32 characters",
        )


def prepare_multiprocess_metrics(workers: int) -> Path | None:
    """A fresh PROMETHEUS_MULTIPROC_DIR when several workers will share metrics."""
    if workers <= 1:
        return None
    existing = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if existing:
        # Values of a previous run would be added to this one's.
        path = Path(existing)
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)
    else:
        path = Path(tempfile.mkdtemp(prefix="cloudviz-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def prepare_server(settings: Settings) -> list[str]:
    """Every check and preparation before start; returns lines to tell the user.

    Raises ConfigurationError (CV003) when the server must not start.
    """
    check_jwt_secret(settings)
    return []
