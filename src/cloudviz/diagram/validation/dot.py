"""DOT files through Graphviz's own parser, errors at Graphviz's lines.

`nop` reads and prints a graph without laying it out, so a 10,000-node file
takes a fraction of a second; `dot -Tcanon` (which lays out) is the fallback
where `nop` is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cloudviz.diagram.graphviz_engine import graphviz_program
from cloudviz.diagram.validation.report import Problem, ValidationReport
from cloudviz.errors import VisualizationError

_DOT_GRAPH = re.compile(r"^\s*(?:strict\s+)?(?:di)?graph\b(?!\s*\[)", re.M | re.I)
_DOT_ERROR = re.compile(r"(?:syntax error )?in line (\d+)")


def check_dot(text: str, timeout: float = 120.0) -> ValidationReport:
    """Parse DOT with Graphviz's parser and report its errors by line."""
    graphs = len(_DOT_GRAPH.findall(text))
    noun = "graph" if graphs == 1 else "graphs"
    report = ValidationReport("<text>", "dot", f"{graphs} DOT {noun}")
    nop = shutil.which("nop")
    command = [nop] if nop else [graphviz_program("dot"), "-Tcanon"]
    try:
        finished = subprocess.run(
            command,
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise VisualizationError(
            f"Graphviz took more than {timeout:.0f} seconds to read the file",
            hint="check a smaller file, or split the graph",
        ) from None
    messages = finished.stderr.decode("utf-8", "replace").splitlines()
    for message in messages:
        if not message.lower().startswith("error"):
            continue
        found = _DOT_ERROR.search(message)
        line = int(found.group(1)) if found else None
        report.problems.append(Problem(line, message.replace("<stdin>", "DOT")))
    if finished.returncode != 0 and not report.problems:
        detail = "; ".join(messages[-3:]) or f"exit status {finished.returncode}"
        report.problems.append(Problem(None, f"Graphviz rejected the graph: {detail}"))
    return report


def check_dot_files(paths: Sequence[Path], timeout: float = 300.0) -> bool:
    """True when Graphviz's parser reads every file (one process for all)."""
    nop = shutil.which("nop")
    command = [nop] if nop else [graphviz_program("dot"), "-Tcanon"]
    with tempfile.TemporaryFile() as sink:
        finished = subprocess.run(
            [*command, *map(str, paths)],
            stdout=sink,
            stderr=subprocess.PIPE,
            timeout=timeout,
        )
    return finished.returncode == 0 and b"Error" not in finished.stderr
