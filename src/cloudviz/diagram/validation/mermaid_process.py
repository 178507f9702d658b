"""Mermaid's own parser in a Node.js process, kept alive for many charts.

`mermaid_parser.js` loads the mermaid npm package (with jsdom, whose DOM
mermaid's sanitiser needs; no browser) once, which takes seconds, then parses
each chart it is sent in milliseconds. Node.js or the packages missing is a
CV007 error whose hint says how to install them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from cloudviz.diagram.validation.report import Problem
from cloudviz.errors import VisualizationError

MERMAID_INSTALL_HINT = (
    "install Node.js and the Mermaid parser: in a CloudViz checkout run "
    "`scripts/setup.sh dev` (it runs `npm ci`), elsewhere "
    "`npm install -g @mermaid-js/mermaid-cli jsdom` (or `npm install -g mermaid "
    "jsdom`); CLOUDVIZ_NODE_MODULES may name the node_modules folder to use"
)
_PARSER_SCRIPT = Path(__file__).with_name("mermaid_parser.js")
_MERMAID_START_TIMEOUT = 120.0


def find_node_modules() -> Path:
    """The node_modules folder that holds both `mermaid` and `jsdom`."""
    for candidate in _node_modules_candidates():
        if (candidate / "mermaid" / "dist").is_dir() and (candidate / "jsdom").is_dir():
            return candidate
    raise VisualizationError(
        "the Mermaid parser is not installed (no node_modules folder with the "
        "`mermaid` and `jsdom` packages was found)",
        hint=MERMAID_INSTALL_HINT,
    )


def _node_modules_candidates() -> Iterator[Path]:
    configured = os.environ.get("CLOUDVIZ_NODE_MODULES")
    if configured:
        yield Path(configured)
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            yield folder / "node_modules"
    npm = shutil.which("npm")
    if npm is not None:
        try:
            found = subprocess.run(
                [npm, "root", "-g"], capture_output=True, text=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found:
            root = Path(found)
            yield root
            yield root / "@mermaid-js" / "mermaid-cli" / "node_modules"


class MermaidParser:
    """A Node.js process running mermaid's own parser, kept for many charts.

    Use as a context manager; `parse` answers one Problem (or None) per chart,
    with line numbers counted inside each chart.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._next_id = 0

    def __enter__(self) -> MermaidParser:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            raise VisualizationError(
                "Node.js is not installed: the Mermaid parser runs on it",
                hint=MERMAID_INSTALL_HINT,
            )
        modules = find_node_modules()
        self._process = subprocess.Popen(
            [node, str(_PARSER_SCRIPT), str(modules)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        ready = self._read_line(_MERMAID_START_TIMEOUT)
        if not ready.get("ready"):
            raise VisualizationError(
                "the Mermaid parser did not start", hint=MERMAID_INSTALL_HINT
            )

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()

    def parse(self, charts: Sequence[str]) -> list[Problem | None]:
        process = self._process
        if process is None or process.stdin is None:
            raise RuntimeError("MermaidParser used outside its `with` block")
        # Requests are written in one go and answers read back in order; the
        # parser answers each line before reading far ahead, and the pipes
        # buffer both ways, so write from a thread to never dead-lock.
        first = self._next_id
        self._next_id += len(charts)
        payload = "".join(
            json.dumps({"id": first + index, "text": text}) + "\n"
            for index, text in enumerate(charts)
        )
        writer = _PipeWriter(process.stdin, payload)
        writer.start()
        answers: list[Problem | None] = []
        for _ in charts:
            answer = self._read_line(_MERMAID_START_TIMEOUT)
            if answer.get("ok"):
                answers.append(None)
            else:
                answers.append(_mermaid_problem(answer))
        writer.join()
        return answers

    def _read_line(self, timeout: float) -> dict[str, object]:
        process = self._process
        if process is None or process.stdout is None:
            raise RuntimeError("MermaidParser used outside its `with` block")
        line = _read_with_timeout(process.stdout, timeout)
        if not line:
            detail = ""
            if process.poll() is not None and process.stderr is not None:
                detail = process.stderr.read().strip()[-500:]
            raise VisualizationError(
                "the Mermaid parser stopped" + (f": {detail}" if detail else ""),
                hint=MERMAID_INSTALL_HINT,
            )
        parsed: dict[str, object] = json.loads(line)
        return parsed


class _PipeWriter:
    """Feeds a pipe from a thread so reading answers can go on meanwhile."""

    def __init__(self, stream: IO[str], payload: str) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(stream, payload), daemon=True
        )

    @staticmethod
    def _run(stream: IO[str], payload: str) -> None:
        try:
            stream.write(payload)
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._thread.join()


def _read_with_timeout(stream: IO[str], timeout: float) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()))
    reader.daemon = True
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        raise VisualizationError(
            f"the Mermaid parser gave no answer within {timeout:.0f} seconds",
            hint="run again; if it persists, check `node --version` and "
            "`npm list mermaid`",
        )
    return result[0] if result else ""


def _mermaid_problem(answer: dict[str, object]) -> Problem:
    message = str(answer.get("message") or "unknown error")
    line = answer.get("line")
    lines = [line for line in message.splitlines() if line.strip("-^ ")]
    first = lines[0] if lines else "unknown error"
    detail = " ".join(line.strip() for line in lines[1:])
    text = f"MermaidError: {first}"
    if detail:
        text += f" {detail}"
    return Problem(line if isinstance(line, int) else None, text)
