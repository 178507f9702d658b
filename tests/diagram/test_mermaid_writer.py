"""The Mermaid writer: structure, escaping, styles, limits."""

from __future__ import annotations

import re

import pytest

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import build_diagrams
from cloudviz.diagram.style import STATUS_COLOURS
from cloudviz.diagram.validation import MermaidParser, check_mermaid, mermaid_blocks
from cloudviz.diagram.writers import mermaid
from cloudviz.diagram.writers.labels import clean_text
from cloudviz.sources.demo import generate_demo_inventory
from tests.diagram import text_cases
from tests.diagram.text_corpus import HOSTILE_NAMES

OPTIONS = RenderOptions(format="mermaid")
KEYWORDS = {
    "end",
    "graph",
    "subgraph",
    "style",
    "class",
    "click",
    "default",
    "flowchart",
    "classDef",
    "linkStyle",
    "direction",
    "call",
    "href",
}
NODE = re.compile(r'^\s*(\w+)(?:\[\[|\[\(|\{\{|\(\[|\[/|\[|>)"(.*)"')
SUBGRAPH = re.compile(r'^\s*subgraph (\w+)\["(.*)"\]$')


def only_chart(pages: list) -> str:  # type: ignore[type-arg]
    blocks = mermaid_blocks(mermaid.write(pages, OPTIONS).decode())
    assert len(blocks) == 1
    return blocks[0].text


def decode(label: str) -> str:
    """Mermaid's entity codes back to characters, as Mermaid reads them."""
    label = label.replace("#quot;", '"')
    return re.sub(r"#(\d+);", lambda match: chr(int(match.group(1))), label)


def test_groups_become_nested_subgraphs_with_their_nodes() -> None:
    chart = only_chart([text_cases.small()])
    lines = chart.splitlines()

    assert lines[0] == "flowchart TB"
    opened = [SUBGRAPH.match(line) for line in lines]
    labels = [match.group(2) for match in opened if match]
    assert labels == ["AWS", "123456789012", "eu-west-1", "v", "s"]
    assert chart.count("\n    end") >= 1
    assert sum(1 for line in lines if line.strip() == "end") == 5

    # The subnet's subgraph is inside the VPC's and holds the VM and the NIC.
    subnet_at = next(i for i, line in enumerate(lines) if line.endswith('["s"]'))
    inside = lines[subnet_at + 1 : subnet_at + 3]
    assert [NODE.match(line).group(2) for line in inside] == [  # type: ignore[union-attr]
        "web-1<br/>t3.small",
        "n<br/>t3.small",
    ]
    assert len(lines[subnet_at]) - len(lines[subnet_at].lstrip()) == 10


def test_edges_carry_their_relationship_type() -> None:
    chart = only_chart([text_cases.small()])

    edges = re.findall(r'^\s*(\w+) -->\|"([^"]+)"\| (\w+)$', chart, re.M)
    assert sorted(label for _, label, _ in edges) == ["attached to", "secured by"]


def test_ids_are_identifiers_never_keywords_and_stable() -> None:
    pages = [text_cases.hostile()]
    first = only_chart(pages)
    second = only_chart([text_cases.hostile()])

    ids = re.findall(r"^\s*(?:subgraph )?(\w+)[\[\(\{>]", first, re.M)
    assert len(ids) > 40
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", found) for found in ids)
    assert not KEYWORDS & set(ids)
    assert first == second


def test_hostile_names_stay_text() -> None:
    chart = only_chart([text_cases.hostile()])
    labels = [
        decode(match.group(2))
        for line in chart.splitlines()
        if (match := NODE.match(line) or SUBGRAPH.match(line))
    ]

    for name in HOSTILE_NAMES:
        assert clean_text(name, mermaid.LABEL_LIMIT) in labels
    # Inside labels: no raw quote, markup, comment, fence or entity start.
    for line in chart.splitlines():
        if match := NODE.match(line) or SUBGRAPH.match(line):
            inner = re.sub(r"#(quot|\d+);", "", match.group(2).replace("<br/>", ""))
            assert not set(inner) & set('"<>`%[]{}|;#\\'), inner
    assert "<script>" not in chart
    assert "```" not in chart


def test_classes_are_defined_and_applied_to_nodes() -> None:
    chart = only_chart([text_cases.dependencies()])

    defined = set(re.findall(r"^\s*classDef (\w+) ", chart, re.M))
    applied = dict(re.findall(r"^\s*class ([\w,]+) (\w+)$", chart, re.M))
    by_class: dict[str, set[str]] = {}
    for members, name in applied.items():
        by_class.setdefault(name, set()).update(members.split(","))
    assert {"gcp", "azure", "aws", "ref"} <= defined
    assert set(by_class) <= defined
    assert len(by_class["gcp"]) == 12
    node_ids = set(re.findall(r"^\s*(\w+)[\[\(\{>]", chart, re.M))
    assert set().union(*by_class.values()) <= node_ids


def test_diff_colours_nodes_edges_and_adds_a_legend() -> None:
    chart = only_chart([text_cases.changed()])

    assert 'subgraph legend["Legend"]' in chart
    for status in ("added", "removed", "changed"):
        assert re.search(rf"^\s*classDef {status} fill:", chart, re.M)
        assert re.search(rf"^\s*class [\w,]+ {status}$", chart, re.M)
    assert re.search(rf"^\s*linkStyle 0 stroke:{STATUS_COLOURS['added']}", chart, re.M)
    assert "-.->" in chart  # the removed edge is dotted
    assert " -->|" in chart


def test_notes_go_into_the_document_and_the_pages_notes() -> None:
    diagram = text_cases.dependencies()
    text = mermaid.write([diagram], OPTIONS).decode()
    mermaid.write([diagram], OPTIONS)

    note = "not drawn: 1 relationship to resources outside this page"
    assert f"- {note}" in text.replace("\\", "")
    assert diagram.notes == [note]  # the render pipeline reports these


def test_small_limits_split_by_group_and_say_so(
    mermaid_parser: MermaidParser,
) -> None:
    diagram = text_cases.demo(300)
    document = mermaid.build_document(
        [diagram], OPTIONS, max_text_size=8_000, max_edges=40
    )

    assert len(document.charts) > 3
    for chart in document.charts:
        assert mermaid.measured_size(chart.text) <= 8_000
        assert chart.edges <= 40
        assert chart.text.startswith("%% CloudViz: chart ")
    assert sum(chart.nodes for chart in document.charts) == len(diagram.nodes)
    assert "split into" in document.notes[0]
    assert all(
        a is None for a in mermaid_parser.parse([c.text for c in document.charts])
    )


def test_a_huge_flat_group_is_cut_into_runs() -> None:
    diagram = text_cases.dependencies()
    document = mermaid.build_document(
        [diagram], OPTIONS, max_text_size=3_000, max_edges=3
    )

    assert all(chart.edges <= 3 for chart in document.charts)
    assert sum(chart.nodes for chart in document.charts) == len(diagram.nodes)
    assert any("not drawn" in note for note in document.notes)


@pytest.mark.slow
@pytest.mark.parametrize("view", ["architecture", "dependencies"])
def test_ten_thousand_resources_stay_within_mermaids_limits(
    view: str, mermaid_parser: MermaidParser
) -> None:
    pages = build_diagrams(
        generate_demo_inventory(10_000, seed=42), RenderOptions(view=view)
    )
    text = mermaid.write(pages, OPTIONS).decode()

    blocks = mermaid_blocks(text)
    assert len(blocks) > 1
    for block in blocks:
        assert len(block.text.encode("utf-16-le")) // 2 <= mermaid.MAX_TEXT_SIZE
        assert len(re.findall(r" -(?:->|\.->)\|", block.text)) <= mermaid.MAX_EDGES
    assert check_mermaid(text, mermaid_parser).problems == []
    node_lines = sum(
        1 for block in blocks for line in block.text.splitlines() if NODE.match(line)
    )
    assert node_lines == len(pages[0].nodes)
    assert any("split into" in note for note in pages[0].notes)


def test_an_empty_diagram_is_still_a_chart(mermaid_parser: MermaidParser) -> None:
    chart = only_chart([text_cases.empty()])

    assert "No resources to draw" in chart
    assert mermaid_parser.parse([chart]) == [None]
