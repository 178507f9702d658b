"""Check diagram files with the real parsers, and say on which line they fail.

- Mermaid: the mermaid JavaScript library itself, run by Node.js
  (`mermaid_parser.js`), with Mermaid's default limits. A Markdown file is
  checked block by block (every ```` ```mermaid ```` fence); any other file
  is one diagram. Errors read `MermaidError: Parse error on line N: ...` with
  N counted in the file.
- DOT: Graphviz's own parser (`nop`, which reads and prints a graph without
  laying it out, so a 10,000-node file takes a fraction of a second; `dot
  -Tcanon` where `nop` is missing).
- draw.io: well-formed XML, the `mxfile > diagram > mxGraphModel > root`
  structure (compressed pages are inflated first), unique cell ids, every
  `parent`, `source` and `target` naming a cell of the same page, geometry on
  every vertex and edge.
- SVG: well-formed XML whose root is an `<svg>` element.

Node.js, the mermaid package or Graphviz missing is a CV007 error whose hint
says how to install them.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO
from xml.parsers import expat

from cloudviz.diagram.graphviz_engine import graphviz_program
from cloudviz.errors import ValidationError, VisualizationError

FORMATS = ("mermaid", "dot", "drawio", "svg")
_SUFFIXES = {
    ".md": "mermaid",
    ".markdown": "mermaid",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
    ".drawio": "drawio",
    ".svg": "svg",
}
MERMAID_INSTALL_HINT = (
    "install Node.js and the Mermaid parser: in a CloudViz checkout run "
    "`scripts/setup.sh dev` (it runs `npm ci`), elsewhere "
    "`npm install -g @mermaid-js/mermaid-cli jsdom` (or `npm install -g mermaid "
    "jsdom`); CLOUDVIZ_NODE_MODULES may name the node_modules folder to use"
)
_PARSER_SCRIPT = Path(__file__).with_name("mermaid_parser.js")
_MERMAID_START_TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class Problem:
    """One error, at a line of the checked file when the parser knows it."""

    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return where + self.message


@dataclass(slots=True)
class ValidationReport:
    """What was checked in one file and what is wrong with it."""

    path: str
    format: str
    checked: str  # "3 Mermaid charts", "1 DOT graph", ...
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """`path:line: message` per problem, as compilers print them."""
        return [
            f"{self.path}:{problem.line}: {problem.message}"
            if problem.line is not None
            else f"{self.path}: {problem.message}"
            for problem in self.problems
        ]


def guess_format(path: Path) -> str | None:
    """The format a file's name suggests, or None."""
    return _SUFFIXES.get(path.suffix.lower())


def validate_file(path: Path, diagram_format: str | None = None) -> ValidationReport:
    """Check one file; the format is guessed from its name when not given."""
    chosen = diagram_format or guess_format(path)
    if chosen is None:
        raise ValidationError(
            f"cannot tell the diagram format of {path.name}",
            hint="pass --format mermaid, dot, drawio or svg",
        )
    text = read_diagram_file(path)
    report = validate_text(text, chosen)
    report.path = str(path)
    return report


def read_diagram_file(path: Path) -> str:
    """The text of a diagram file, or CV010 saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(
            f"{path}: no such file", hint="check the path of the diagram"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(
            f"{path}: cannot read it as UTF-8 text ({error})",
            hint="validate the diagram file CloudViz or another tool wrote",
        ) from None


def validate_text(text: str, diagram_format: str) -> ValidationReport:
    """Check a diagram held in memory."""
    if diagram_format == "mermaid":
        return check_mermaid(text)
    if diagram_format == "dot":
        return check_dot(text)
    if diagram_format == "drawio":
        return check_drawio(text)
    if diagram_format == "svg":
        return check_svg(text)
    raise ValidationError(
        f"cannot validate format {diagram_format!r}",
        hint="use one of: " + ", ".join(FORMATS),
    )


# -- Mermaid ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MermaidBlock:
    """One diagram of a file and the file line its first line is on."""

    text: str
    first_line: int


_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*mermaid\b.*$")


def mermaid_blocks(text: str) -> list[MermaidBlock]:
    """The ```` ```mermaid ```` blocks of a Markdown text, or the whole text
    as one diagram when it has none."""
    lines = text.splitlines()
    blocks: list[MermaidBlock] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        fence = opening.group("fence")
        start = index
        while index < len(lines) and not _closes(lines[index], fence):
            index += 1
        blocks.append(MermaidBlock("\n".join(lines[start:index]) + "\n", start + 1))
        index += 1
    if not blocks and text.strip():
        blocks.append(MermaidBlock(text, 1))
    return blocks


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])


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
        import threading

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
    import threading

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


def check_mermaid(text: str, parser: MermaidParser | None = None) -> ValidationReport:
    """Every Mermaid block of `text` through mermaid's parser."""
    blocks = mermaid_blocks(text)
    noun = "chart" if len(blocks) == 1 else "charts"
    report = ValidationReport("<text>", "mermaid", f"{len(blocks)} Mermaid {noun}")
    if not blocks:
        report.problems.append(Problem(None, "no Mermaid diagram found"))
        return report
    if parser is None:
        with MermaidParser() as own_parser:
            answers = own_parser.parse([block.text for block in blocks])
    else:
        answers = parser.parse([block.text for block in blocks])
    for block, problem in zip(blocks, answers, strict=True):
        if problem is None:
            continue
        line = block.first_line + (problem.line - 1 if problem.line else 0)
        message = problem.message
        if problem.line is not None:
            message = message.replace(f"line {problem.line}", f"line {line}", 1)
        report.problems.append(Problem(line, message))
    return report


# -- DOT ----------------------------------------------------------------------

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


# -- XML: draw.io and SVG ---------------------------------------------------


@dataclass(slots=True)
class _Element:
    tag: str
    attributes: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    text: str = ""


def parse_xml(text: str, problems: list[Problem]) -> _Element | None:
    """A small element tree with the line of each element (expat), or None
    and a Problem at the line of the first syntax error. Entity
    declarations are refused: no diagram needs them and they can explode."""
    parser = expat.ParserCreate()
    root: list[_Element] = []
    stack: list[_Element] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = _Element(tag, attributes, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].text += data

    def entity(name: str, *args: object) -> None:
        raise _EntityRefusedError(parser.CurrentLineNumber, name)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        problems.append(
            Problem(error.lineno, f"XML error: {expat.errors.messages[error.code]}")
        )
        return None
    except _EntityRefusedError as refused:
        problems.append(
            Problem(
                refused.line,
                f"XML entity declarations are not allowed ({refused.name})",
            )
        )
        return None
    return root[0] if root else None


class _EntityRefusedError(Exception):
    def __init__(self, line: int, name: str) -> None:
        super().__init__(name)
        self.line = line
        self.name = name


def check_svg(text: str) -> ValidationReport:
    """Well-formed XML whose root is an SVG element."""
    report = ValidationReport("<text>", "svg", "1 SVG document")
    root = parse_xml(text, report.problems)
    if root is None:
        return report
    local = root.tag.rsplit(":", 1)[-1]
    if local != "svg":
        report.problems.append(
            Problem(root.line, f"the root element is <{root.tag}>, not <svg>")
        )
    elif root.attributes.get("xmlns") != "http://www.w3.org/2000/svg":
        report.problems.append(
            Problem(
                root.line, 'the <svg> element lacks xmlns="http://www.w3.org/2000/svg"'
            )
        )
    return report


def check_drawio(text: str) -> ValidationReport:
    """The structure diagrams.net needs to open the file and keep its edges."""
    report = ValidationReport("<text>", "drawio", "0 draw.io pages")
    problems = report.problems
    root = parse_xml(text, problems)
    if root is None:
        return report
    if root.tag != "mxfile":
        problems.append(
            Problem(root.line, f"the root element is <{root.tag}>, not <mxfile>")
        )
        return report
    pages = [child for child in root.children if child.tag == "diagram"]
    report.checked = f"{len(pages)} draw.io page{'s' if len(pages) != 1 else ''}"
    if not pages:
        problems.append(Problem(root.line, "<mxfile> holds no <diagram> page"))
    for page in pages:
        model = _page_model(page, problems)
        if model is not None:
            _check_cells(page, model, problems)
    return report


def _page_model(page: _Element, problems: list[Problem]) -> _Element | None:
    models = [child for child in page.children if child.tag == "mxGraphModel"]
    if models:
        return models[0]
    packed = page.text.strip()
    if not packed:
        problems.append(Problem(page.line, "<diagram> holds no <mxGraphModel>"))
        return None
    # diagrams.net may save a page deflated, base64-encoded and URL-quoted.
    try:
        xml = urllib.parse.unquote(
            zlib.decompress(base64.b64decode(packed), -15).decode()
        )
    except (ValueError, zlib.error, UnicodeDecodeError):
        problems.append(
            Problem(page.line, "<diagram> content is neither XML nor a compressed page")
        )
        return None
    inner: list[Problem] = []
    model = parse_xml(xml, inner)
    for problem in inner:
        problems.append(Problem(page.line, f"in the compressed page: {problem}"))
    if model is not None and model.tag != "mxGraphModel":
        problems.append(
            Problem(page.line, "the compressed page holds no <mxGraphModel>")
        )
        return None
    return model


def _check_cells(page: _Element, model: _Element, problems: list[Problem]) -> None:
    roots = [child for child in model.children if child.tag == "root"]
    if not roots:
        problems.append(Problem(model.line, "<mxGraphModel> holds no <root>"))
        return
    cells: list[tuple[str | None, _Element, int]] = []
    for child in roots[0].children:
        if child.tag == "mxCell":
            cells.append((child.attributes.get("id"), child, child.line))
        elif child.tag in {"object", "UserObject"}:
            inner = [c for c in child.children if c.tag == "mxCell"]
            if not inner:
                problems.append(Problem(child.line, f"<{child.tag}> holds no <mxCell>"))
                continue
            cells.append((child.attributes.get("id"), inner[0], child.line))

    ids: dict[str, int] = {}
    for cell_id, _, line in cells:
        if not cell_id:
            problems.append(Problem(line, "a cell has no id"))
        elif cell_id in ids:
            problems.append(
                Problem(
                    line,
                    f"cell id {cell_id!r} is used twice (also line {ids[cell_id]})",
                )
            )
        else:
            ids[cell_id] = line

    for cell_id, cell, line in cells:
        attributes = cell.attributes
        for reference in ("parent", "source", "target"):
            target = attributes.get(reference)
            if target is not None and target not in ids:
                problems.append(
                    Problem(
                        line,
                        f"cell {cell_id!r}: {reference} {target!r} is not a "
                        "cell of this page",
                    )
                )
        is_shape = attributes.get("vertex") == "1" or attributes.get("edge") == "1"
        has_geometry = any(child.tag == "mxGeometry" for child in cell.children)
        if is_shape and not has_geometry:
            problems.append(Problem(line, f"cell {cell_id!r} has no <mxGeometry>"))
        if cell_id != "0" and attributes.get("parent") is None:
            problems.append(Problem(line, f"cell {cell_id!r} has no parent"))
