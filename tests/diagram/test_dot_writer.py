"""The DOT writer: clusters, escaping, styles; checked by Graphviz itself."""

from __future__ import annotations

import re
import subprocess
from xml.etree import ElementTree

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.style import STATUS_COLOURS
from cloudviz.diagram.validation import check_dot
from cloudviz.diagram.writers import dot
from cloudviz.diagram.writers.labels import clean_text
from tests.diagram import text_cases
from tests.diagram.text_corpus import HOSTILE_NAMES

OPTIONS = RenderOptions(format="dot")


def canonical(text: str) -> str:
    """The graph as Graphviz parsed it (`nop`: no layout)."""
    finished = subprocess.run(
        ["nop"], input=text.encode(), capture_output=True, check=True
    )
    return finished.stdout.decode()


def test_groups_are_nested_clusters_graphviz_reads() -> None:
    text = dot.write([text_cases.small()], OPTIONS).decode()

    assert check_dot(text).problems == []
    parsed = canonical(text)
    clusters = re.findall(r'subgraph "?(cluster_\w+)"? \{', parsed)
    assert len(clusters) == 5
    # Each cluster opens inside the previous one: five levels deep.
    depth = max(len(line) - len(line.lstrip("\t")) for line in parsed.splitlines())
    assert depth >= 5
    assert len(re.findall(r"->", parsed)) == 2


def test_svg_from_dot_shows_every_name_as_text() -> None:
    text = dot.write([text_cases.hostile()], OPTIONS).decode()

    svg = subprocess.run(
        ["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=True
    ).stdout
    root = ElementTree.fromstring(svg)
    shown = {
        "".join(element.itertext())
        for element in root.iter("{http://www.w3.org/2000/svg}text")
    }
    for name in HOSTILE_NAMES:
        assert clean_text(name, dot.LABEL_LIMIT) in shown, name
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))


def test_labels_escape_quotes_and_backslashes() -> None:
    assert dot.quote('a "b" \\N') == '"a \\"b\\" \\\\N"'
    assert dot.label("one\ntwo &amp;", "x") == '"one two &amp;amp;\\nx"'


def test_ids_are_stable_and_edges_to_groups_use_compound_clipping() -> None:
    first = dot.write([text_cases.group_edges()], OPTIONS).decode()
    second = dot.write([text_cases.group_edges()], OPTIONS).decode()

    assert first == second
    peering = next(line for line in first.splitlines() if "peers with" in line)
    assert "ltail=" in peering and "lhead=" in peering
    # The gateway sits inside vpc-a: clipping there would be an error.
    attach = next(line for line in first.splitlines() if "attached to" in line)
    assert "lhead=" not in attach
    finished = subprocess.run(
        ["dot", "-Tsvg"], input=first.encode(), capture_output=True, check=True
    )
    assert b"Warning" not in finished.stderr


def test_diff_styles_and_legend() -> None:
    text = dot.write([text_cases.changed()], OPTIONS).decode()

    assert 'subgraph "cluster_legend"' in text
    assert '"legend_removed"' in text
    removed_vm = next(line for line in text.splitlines() if "web-1" in line)
    assert (
        f'color="{STATUS_COLOURS["removed"]}"' in removed_vm and "dashed" in removed_vm
    )
    assert re.search(r"-> .*secured by.*style=dashed", text)


def test_pages_become_top_level_clusters() -> None:
    text = dot.write(text_cases.paged(), OPTIONS).decode()

    assert text.count("digraph") == 1
    assert 'subgraph "cluster_page_1"' in text
    assert 'subgraph "cluster_page_2"' in text
    assert check_dot(text).problems == []
