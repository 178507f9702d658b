"""`cloudviz server start`: the REST API and web UI on uvicorn."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click

from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.errors import ConfigurationError


@cli.group("server")
def server_group() -> None:
    """Run the CloudViz API server."""


@server_group.command("start")
@click.option("--host", help="Address to listen on (default: api.host).")
@click.option("--port", type=int, help="Port to listen on (default: api.port, 8000).")
@click.option("--workers", type=int, help="Worker processes (default: api.workers).")
@click.option(
    "--ssl-certfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TLS certificate (default: api.ssl_cert_file).",
)
@click.option(
    "--ssl-keyfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TLS private key (default: api.ssl_key_file).",
)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@pass_state
def start_command(
    state: CliState,
    host: str | None,
    port: int | None,
    workers: int | None,
    ssl_certfile: Path | None,
    ssl_keyfile: Path | None,
    reload: bool,
) -> None:
    """Start the API server (uvicorn) with the `api` settings.

    Outside development the server refuses to start without a JWT secret of
    its own. On the first start with no users it creates the admin from
    $CLOUDVIZ_ADMIN_PASSWORD, or says how to create one. Jobs that a previous
    run left unfinished are marked failed or queued again.

    \b
    Example:
      CLOUDVIZ_AUTH__JWT_SECRET=$(openssl rand -hex 32) \\
        cloudviz server start --host 0.0.0.0 --port 8000 --workers 4
    """
    import uvicorn

    from cloudviz.api.startup import prepare_multiprocess_metrics, prepare_server

    settings = state.settings
    api = settings.api
    host = host or api.host
    port = api.port if port is None else port
    workers = workers or api.workers
    certfile = ssl_certfile or api.ssl_cert_file
    keyfile = ssl_keyfile or api.ssl_key_file
    if bool(certfile) != bool(keyfile):
        raise ConfigurationError(
            "TLS needs both a certificate and a key",
            hint="pass --ssl-certfile and --ssl-keyfile together "
            "(or api.ssl_cert_file and api.ssl_key_file)",
        )
    if reload and workers > 1:
        raise ConfigurationError(
            "--reload runs a single worker", hint="drop --workers or --reload"
        )

    for line in prepare_server(settings):
        click.echo(line, err=True)
    if state.config_file is not None:
        # Workers are fresh processes: they read the same file.
        os.environ["CLOUDVIZ_CONFIG"] = str(state.config_file.resolve())
    metrics_dir = prepare_multiprocess_metrics(workers)
    scheme = "https" if certfile else "http"
    click.echo(
        f"CloudViz API on {scheme}://{host}:{port} ({workers} worker"
        f"{'s' if workers > 1 else ''}); docs at /docs",
        err=True,
    )
    try:
        uvicorn.run(
            "cloudviz.api.app:create_app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            reload=reload,
            ssl_certfile=str(certfile) if certfile else None,
            ssl_keyfile=str(keyfile) if keyfile else None,
            access_log=api.access_log,
            proxy_headers=True,
            timeout_graceful_shutdown=30,
        )
    finally:
        if metrics_dir is not None and metrics_dir.name.startswith("cloudviz-metrics-"):
            shutil.rmtree(metrics_dir, ignore_errors=True)
