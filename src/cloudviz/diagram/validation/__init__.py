"""Check diagram files with the real parsers, and say on which line they fail.

- Mermaid: the mermaid JavaScript library itself, run by Node.js, with
  Mermaid's default limits (`mermaid.py`, `mermaid_process.py`).
- DOT: Graphviz's own parser (`dot.py`).
- draw.io and SVG: XML with line numbers, then their structure
  (`xml_formats.py`).

Node.js, the mermaid package or Graphviz missing is a CV007 error whose hint
says how to install them; a file that cannot be read is CV010.
"""

from __future__ import annotations

from pathlib import Path

from cloudviz.diagram.validation.dot import check_dot, check_dot_files
from cloudviz.diagram.validation.mermaid import (
    MermaidBlock,
    check_mermaid,
    mermaid_blocks,
)
from cloudviz.diagram.validation.mermaid_process import (
    MERMAID_INSTALL_HINT,
    MermaidParser,
    find_node_modules,
)
from cloudviz.diagram.validation.report import Problem, ValidationReport
from cloudviz.diagram.validation.xml_formats import check_drawio, check_svg
from cloudviz.errors import ValidationError

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

__all__ = [
    "FORMATS",
    "MERMAID_INSTALL_HINT",
    "MermaidBlock",
    "MermaidParser",
    "Problem",
    "ValidationReport",
    "check_dot",
    "check_dot_files",
    "check_drawio",
    "check_mermaid",
    "check_svg",
    "find_node_modules",
    "guess_format",
    "mermaid_blocks",
    "read_diagram_file",
    "validate_file",
    "validate_text",
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
