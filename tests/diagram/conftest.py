"""Shared fixtures: one Mermaid parser process per test session (worker)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudviz.diagram.validation import MermaidParser


@pytest.fixture(scope="session")
def mermaid_parser() -> Iterator[MermaidParser]:
    with MermaidParser() as parser:
        yield parser
