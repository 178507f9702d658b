"""The render time limit (`visualization.limits.timeout`), checked cooperatively.

A render runs in the caller's thread; long loops call `deadline.check()` every
few thousand items, and stage boundaries check it too, so a render that runs
out of time stops with CV007 within a fraction of a second instead of
finishing work nobody will wait for. Writers that cannot see the deadline
(third-party code) call `check_current_deadline()`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from cloudviz.errors import VisualizationError

CHECK_EVERY = 2048  # items between two checks inside tight loops


class Deadline:
    """A point in time after which rendering gives up."""

    __slots__ = ("ends_at", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() >= self.ends_at

    def check(self) -> None:
        """Raise CV007 when the time is up."""
        if time.monotonic() >= self.ends_at:
            raise VisualizationError(
                f"Diagram generation timed out after {self.seconds:g} seconds",
                hint="raise visualization.limits.timeout, filter the inventory "
                "(--region, --kind, ...), or use --collapse kind or "
                "--paginate --max-nodes-per-page 100",
            )


NO_DEADLINE = Deadline(float("inf"))

_current: ContextVar[Deadline] = ContextVar("cloudviz_render_deadline")


@contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[Deadline]:
    """Make `deadline` the one `check_current_deadline` sees in this context."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def check_current_deadline() -> None:
    """Raise CV007 if the render running in this context is out of time."""
    _current.get(NO_DEADLINE).check()
