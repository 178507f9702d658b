"""Every Mermaid and DOT output of the text corpus through the real parsers.

All charts go to one Mermaid parser process and all DOT files to one
Graphviz process, so the whole corpus costs about one parser start each.
"""

from __future__ import annotations

from pathlib import Path

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.validation import (
    MermaidParser,
    check_dot_files,
    mermaid_blocks,
)
from cloudviz.diagram.writers import dot, mermaid
from tests.diagram.text_cases import corpus


def test_every_mermaid_output_parses(mermaid_parser: MermaidParser) -> None:
    charts: list[tuple[str, str]] = []
    for name, pages in corpus().items():
        text = mermaid.write(pages, RenderOptions(format="mermaid")).decode()
        charts += [(name, block.text) for block in mermaid_blocks(text)]

    answers = mermaid_parser.parse([chart for _, chart in charts])

    failures = [
        (name, problem)
        for (name, _), problem in zip(charts, answers, strict=True)
        if problem is not None
    ]
    assert failures == []
    assert len(charts) >= 9


def test_every_dot_output_parses(tmp_path: Path) -> None:
    paths = []
    for name, pages in corpus().items():
        path = tmp_path / f"{name}.dot"
        path.write_bytes(dot.write(pages, RenderOptions(format="dot")))
        paths.append(path)

    assert check_dot_files(paths)
