"""Progress reporting that long work can call without knowing who listens.

The CLI passes a rich progress bar; the API and jobs pass their own sink (a
job's progress field) or nothing.
"""

from __future__ import annotations

import io
from typing import Protocol


class Progress(Protocol):
    def begin(self, task: str, total: int | None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def end(self) -> None: ...


class NullProgress:
    """Reports nowhere."""

    def begin(self, task: str, total: int | None) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None

    def end(self) -> None:
        return None


NULL_PROGRESS = NullProgress()


class CountingReader(io.RawIOBase):
    """A binary file wrapper that reports every byte read as progress."""

    def __init__(self, raw: io.BufferedIOBase | io.RawIOBase, progress: Progress):
        super().__init__()
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        if not data:
            return 0
        size = len(data)
        buffer[:size] = data
        self._progress.advance(size)
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()
