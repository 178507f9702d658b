"""`cloudviz.diagram.validation`: real parsers, errors at the file's lines."""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from pathlib import Path

import pytest

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.validation import (
    MermaidParser,
    check_dot,
    check_drawio,
    check_mermaid,
    check_svg,
    mermaid_blocks,
    validate_file,
)
from cloudviz.diagram.writers import drawio
from cloudviz.errors import ValidationError, VisualizationError
from tests.diagram import text_cases

MARKDOWN = """# Two charts

Some text.

```mermaid
flowchart TB
  A --> B
```

More text.

```mermaid
flowchart TB
  A --> B
  B --> end
```
"""


def test_markdown_blocks_keep_their_file_lines() -> None:
    blocks = mermaid_blocks(MARKDOWN)

    assert [block.first_line for block in blocks] == [6, 13]
    assert blocks[1].text.startswith("flowchart TB\n  A --> B\n")
    assert mermaid_blocks("flowchart LR\n  a --> b\n")[0].first_line == 1


def test_a_mermaid_error_names_the_line_of_the_file(
    mermaid_parser: MermaidParser,
) -> None:
    report = check_mermaid(MARKDOWN, mermaid_parser)

    assert report.checked == "2 Mermaid charts"
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.line == 15
    assert problem.message.startswith("MermaidError: Parse error on line 15:")


def test_mermaids_edge_limit_is_enforced(mermaid_parser: MermaidParser) -> None:
    chart = "flowchart LR\n" + "".join(f"  n{i} --> n{i + 1}\n" for i in range(501))

    report = check_mermaid(chart, mermaid_parser)

    assert "Edge limit exceeded" in report.problems[0].message


def test_mermaids_text_limit_is_enforced(mermaid_parser: MermaidParser) -> None:
    chart = "flowchart LR\n" + "".join(f'  n{i}["{"x" * 60}"]\n' for i in range(800))

    report = check_mermaid(chart, mermaid_parser)

    assert "maxTextSize" in report.problems[0].message


def test_missing_node_is_cv007_with_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(VisualizationError) as caught:
        check_mermaid("flowchart LR\n  a --> b\n")

    assert caught.value.cv_code == "CV007"
    assert "npm install -g @mermaid-js/mermaid-cli" in (caught.value.hint or "")


def test_missing_mermaid_package_is_cv007(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cloudviz.diagram.validation import mermaid_process

    monkeypatch.setattr(
        mermaid_process, "_node_modules_candidates", lambda: iter([tmp_path])
    )
    with pytest.raises(VisualizationError, match="Mermaid parser is not installed"):
        mermaid_process.find_node_modules()


def test_dot_errors_carry_graphvizs_line() -> None:
    report = check_dot('digraph g {\n  a -> b;\n  c [label="x"\n  d -> ;\n}\n')

    assert report.problems[0].line == 4
    assert "syntax error in line 4" in report.problems[0].message
    assert check_dot("digraph g { a -> b }\n").problems == []


def test_missing_graphviz_is_cv007_with_the_guides_wording(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(VisualizationError) as caught:
        check_dot("digraph g { a }")

    assert "failed to execute 'dot'" in caught.value.message
    assert "apt-get install graphviz" in (caught.value.hint or "")


def test_drawio_structure_problems_are_found_by_line() -> None:
    xml = """<mxfile>
  <diagram name="p">
    <mxGraphModel>
      <root>
        <mxCell id="0"/>
        <mxCell id="1" parent="0"/>
        <mxCell id="a" vertex="1" parent="1"><mxGeometry as="geometry"/></mxCell>
        <mxCell id="b" vertex="1" parent="ghost"/>
        <mxCell id="e" edge="1" parent="1" source="a" target="nowhere">
          <mxGeometry relative="1" as="geometry"/>
        </mxCell>
        <mxCell id="a" vertex="1" parent="1"><mxGeometry as="geometry"/></mxCell>
      </root>
    </mxGraphModel>
  </diagram>
</mxfile>
"""
    report = check_drawio(xml)

    found = {
        (problem.line, problem.message.split(":")[0]) for problem in report.problems
    }
    assert (8, "cell 'b'") in found  # unknown parent and no geometry
    assert any(p.line == 8 and "no <mxGeometry>" in p.message for p in report.problems)
    assert any(p.line == 9 and "'nowhere'" in p.message for p in report.problems)
    assert any(p.line == 12 and "used twice" in p.message for p in report.problems)


def test_compressed_drawio_pages_are_inflated_and_checked() -> None:
    model = (
        '<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
        '<mxCell id="x" vertex="1" parent="9"><mxGeometry as="geometry"/></mxCell>'
        "</root></mxGraphModel>"
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(urllib.parse.quote(model).encode()) + packer.flush()
    xml = (
        f'<mxfile>\n<diagram name="p">{base64.b64encode(packed).decode()}'
        "</diagram>\n</mxfile>"
    )

    report = check_drawio(xml)

    assert len(report.problems) == 1
    assert "parent '9'" in report.problems[0].message


def test_xml_syntax_errors_and_entities_are_reported_by_line() -> None:
    broken = check_svg('<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n</svg>\n')
    assert broken.problems[0].line == 3
    assert "XML error" in broken.problems[0].message

    bomb = '<!DOCTYPE svg [\n<!ENTITY a "aaaa">\n]>\n<svg>&a;</svg>'
    assert "entity" in check_svg(bomb).problems[0].message
    assert check_svg('<svg xmlns="http://www.w3.org/2000/svg"/>').problems == []
    assert "not <svg>" in check_svg("<html/>").problems[0].message


def test_every_drawio_output_of_the_corpus_is_well_formed() -> None:
    for name, pages in text_cases.corpus().items():
        xml = drawio.write(pages, RenderOptions(format="drawio")).decode()
        assert check_drawio(xml).problems == [], name


def test_files_are_read_and_their_format_guessed(tmp_path: Path) -> None:
    path = tmp_path / "graph.gv"
    path.write_text("digraph { a -> b }\n")
    assert validate_file(path).format == "dot"

    with pytest.raises(ValidationError, match="cannot tell"):
        validate_file(tmp_path / "diagram.txt")
    with pytest.raises(ValidationError, match="no such file"):
        validate_file(tmp_path / "missing.dot")
