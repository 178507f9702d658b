"""The root command group, its global options and the one error boundary.

Every `CloudVizError` a command raises is printed once, here, as
`Error [CV0xx]: message` plus what to do, on stderr, with the error's exit
code and no traceback unless `--debug` asks for one.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from cloudviz import __version__
from cloudviz.config import Settings, load_settings
from cloudviz.errors import CloudVizError
from cloudviz.logs import configure_logging

log = logging.getLogger("cloudviz.cli")


@dataclass
class CliState:
    """What the root group parsed, handed to every command."""

    config_file: Path | None = None
    debug: bool = False
    verbose: bool = False
    quiet: bool = False
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_file)
            configure_logging(self._settings.logging, verbose=self.verbose)
        return self._settings


pass_state = click.make_pass_decorator(CliState, ensure=True)


def print_error(error: CloudVizError) -> None:
    click.secho(f"Error [{error.cv_code}]: {error.message}", fg="red", err=True)
    if error.hint:
        click.echo(f"  What to do: {error.hint}", err=True)


class CloudVizGroup(click.Group):
    """A group that turns CloudViz errors into clean messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CloudVizError as error:
            state = ctx.find_object(CliState)
            if state is not None and state.debug:
                traceback.print_exc()
            print_error(error)
            ctx.exit(error.exit_code)
        except BrokenPipeError:
            # `cloudviz ... | head` closed the pipe: not an error for the user.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # the last line of defence: no tracebacks
            state = ctx.find_object(CliState)
            if state is not None and state.debug:
                traceback.print_exc()
            else:
                log.debug("unexpected error", exc_info=True)
            click.secho(
                f"Error: unexpected {type(error).__name__}: {error}", fg="red", err=True
            )
            click.echo(
                "  What to do: run again with --debug and report the traceback.",
                err=True,
            )
            ctx.exit(1)


@click.group(
    cls=CloudVizGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="cloudviz")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CLOUDVIZ_CONFIG",
    help="Configuration file (default: first of ./cloudviz.yaml, "
    "~/.config/cloudviz/config.yaml, /etc/cloudviz/config.yaml).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries.")
@click.option(
    "--profile",
    is_flag=True,
    help="Profile the command with cProfile; the top functions go to stderr "
    "when it ends.",
)
@click.option(
    "--profile-output",
    type=click.Path(dir_okay=False),
    help="With --profile: write the full statistics here (for pstats, snakeviz).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    config_file: Path | None,
    debug: bool,
    verbose: bool,
    quiet: bool,
    profile: bool,
    profile_output: str | None,
) -> None:
    """CloudViz: architecture diagrams of AWS, Azure and GCP estates.

    Discover or import an estate into an inventory, keep snapshots, and draw
    them as SVG, PNG, PDF, draw.io, Mermaid, Graphviz DOT or an interactive page.

    \b
    Quick start:
      cloudviz demo --resources 200 -o estate.json
      cloudviz inspect estate.json
    """
    ctx.obj = CliState(
        config_file=config_file, debug=debug, verbose=verbose, quiet=quiet
    )
    if profile:
        start_profiling(ctx, profile_output)


def start_profiling(ctx: click.Context, output: str | None) -> None:
    """Profile the rest of this process; report when the command ends.

    With `server start --workers N` only the supervising process is profiled:
    profile one worker (the default) to see request handling.
    """
    import cProfile
    import pstats

    profiler = cProfile.Profile()

    def report() -> None:
        profiler.disable()
        if output is None:
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(30)
        else:
            profiler.dump_stats(output)
            click.echo(f"Profile written to {output}", err=True)

    ctx.call_on_close(report)
    profiler.enable()
