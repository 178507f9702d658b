"""Mermaid files: every ```` ```mermaid ```` block through mermaid's parser.

A Markdown file is checked block by block; any other file is one diagram.
Errors read `MermaidError: Parse error on line N: ...` with N counted in the
file, and Mermaid's default limits (maxTextSize, maxEdges) apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cloudviz.diagram.validation.mermaid_process import MermaidParser
from cloudviz.diagram.validation.report import Problem, ValidationReport


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
