"""A rich progress bar behind CloudViz's Progress protocol."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class TerminalProgress:
    """Draws on stderr while work runs; shows nothing when stderr is a pipe."""

    def __init__(self, *, enabled: bool = True, unit: str = "items") -> None:
        self._console = Console(stderr=True)
        self._enabled = enabled and self._console.is_terminal
        counter = DownloadColumn() if unit == "bytes" else MofNCompleteColumn()
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            counter,
            TimeElapsedColumn(),
            console=self._console,
            transient=True,
            disable=not self._enabled,
        )
        self._task: TaskID | None = None
        self._depth = 0

    def begin(self, task: str, total: int | None) -> None:
        if self._depth == 0:
            self._bar.start()
        self._depth += 1
        self._task = self._bar.add_task(task, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, amount)

    def end(self) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
            self._task = None
        self._depth = max(0, self._depth - 1)
        if self._depth == 0:
            self._bar.stop()
