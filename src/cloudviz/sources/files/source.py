"""One input file of an import, and how importers read it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cloudviz.errors import ValidationError
from cloudviz.inventory.codec import decode_json
from cloudviz.progress import NULL_PROGRESS, CountingReader, Progress

HEAD_BYTES = 65_536


@dataclass(slots=True)
class ImportSource:
    """A file to import: its path, its first bytes for detection, progress."""

    path: Path
    progress: Progress = field(default=NULL_PROGRESS)
    _head: str | None = None

    @property
    def label(self) -> str:
        return str(self.path)

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def head(self) -> str:
        """The first 64 KiB as text, what format detection looks at."""
        if self._head is None:
            with self.path.open("rb") as handle:
                self._head = handle.read(HEAD_BYTES).decode("utf-8", errors="replace")
        return self._head

    def open(self) -> IO[bytes]:
        """The file as a binary stream that advances the progress bar."""
        raw = self.path.open("rb")
        return io.BufferedReader(CountingReader(raw, self.progress))

    def read_json(self) -> Any:
        """The whole file decoded; fine for exports that are not huge."""
        with self.open() as handle:
            return decode_json(handle.read(), self.label)

    def read_ndjson(self) -> list[Any]:
        """Newline-delimited JSON, one document per line; blank lines skipped."""
        return list(self.iter_ndjson())

    def iter_ndjson(self) -> Iterator[Any]:
        """The documents of an NDJSON file one at a time, so an importer that
        keeps less than each whole document never holds the whole file."""
        with self.open() as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield decode_json(line, f"{self.label}:{number}")

    def invalid(self, problem: str) -> ValidationError:
        """A CV010 error about this file."""
        return ValidationError(
            f"{self.label}: {problem}",
            hint="check that the file is a complete, unmodified export",
        )
