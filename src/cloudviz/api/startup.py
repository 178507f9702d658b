"""What `cloudviz server start` checks and prepares before it accepts requests.

Run once per server start, before the uvicorn workers are spawned:

- outside development (`auth.environment: production`) the JWT secret must be
  set and must not be the built-in default, or the server refuses to start
  (CV003): tokens signed with a published secret can be forged by anyone;
- the database is checked (the embedded SQLite is created and migrated); one
  that is unreachable does not stop the start: the server answers 503 (CV005)
  until it is back, with no restart needed;
- on the first start with no users, the admin is created from
  `CLOUDVIZ_ADMIN_PASSWORD`, or the operator is told how to create one;
- with multiple workers, prometheus-client's multiprocess directory is set so
  `/metrics` sums every worker.

Jobs a previous run left unfinished are recovered by each worker's job runner
when its application starts (`cloudviz.api.app`).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from cloudviz.auth.tokens import check_jwt_secret
from cloudviz.config import Settings
from cloudviz.errors import DatabaseUnavailableError
from cloudviz.store.bootstrap import ensure_admin_user
from cloudviz.store.database import open_database

log = logging.getLogger(__name__)


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
    check_jwt_secret(settings.auth)
    try:
        database = open_database(settings)
    except DatabaseUnavailableError as error:
        log.warning("server.database_unavailable error=%s", error)
        return [
            f"Warning [{error.cv_code}]: {error.message}",
            f"  The server starts anyway and answers 503 until then: {error.hint}",
        ]
    try:
        lines = [f"Database: {database.safe_url}"]
        first_start = ensure_admin_user(settings, database)
        if first_start:
            lines.append(first_start)
    finally:
        database.dispose()
    return lines
