"""`cloudviz config`: show and validate the settings in force."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from cloudviz.cli.app import CliState, cli, pass_state
from cloudviz.config import settings_as_dict, validate_config_file


@cli.group("config")
def config_group() -> None:
    """Show or check CloudViz's configuration."""


@config_group.command("show")
@click.option("--sanitized", is_flag=True, help="Mask passwords, secrets and keys.")
@pass_state
def show_config(state: CliState, sanitized: bool) -> None:
    """Print every setting in force, with the file it came from.

    \b
    Example:
      cloudviz config show --sanitized > config-for-support.yaml
    """
    settings = state.settings
    origin = settings.source_file or "built-in defaults and environment"
    click.echo(f"# configuration: {origin}")
    data = settings_as_dict(settings, sanitized=sanitized)
    click.echo(
        yaml.safe_dump(data, sort_keys=False, default_flow_style=False), nl=False
    )


@config_group.command("validate")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@pass_state
def validate_config(state: CliState, file: Path | None) -> None:
    """Check a configuration file; exit 2 with CV003 naming the bad key.

    Without FILE, checks the file CloudViz would use (and the environment).

    \b
    Example:
      cloudviz config validate /etc/cloudviz/config.yaml
    """
    if file is not None:
        validate_config_file(file)
        click.echo(f"{file}: configuration is valid")
        return
    settings = state.settings
    click.echo(f"{settings.source_file or 'defaults'}: configuration is valid")
