"""The browser UI: static files served by the API under `/ui`.

The page is plain HTML, CSS and JavaScript with no build step and no network
dependency: everything it shows comes from the same REST API the CLI's users
script against (`/auth/login`, `/api/v1/snapshots`, `/api/v1/jobs`, ...).
Diagrams are shown with the `html` diagram format inside a sandboxed frame, so
pan, zoom, search and the details panel are the same as in exported files.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"


def mount_web_ui(app: FastAPI) -> None:
    """Serve the UI at `/ui/` and send browsers that open `/` there."""
    app.mount("/ui", StaticFiles(directory=STATIC_DIR, html=True), name="ui")

    @app.get("/", include_in_schema=False)
    def open_ui() -> RedirectResponse:
        return RedirectResponse("/ui/")
