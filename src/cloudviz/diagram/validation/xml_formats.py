"""draw.io and SVG files: XML with line numbers, then their structure.

draw.io: the `mxfile > diagram > mxGraphModel > root` structure (compressed
pages are inflated first), unique cell ids, every `parent`, `source` and
`target` naming a cell of the same page, geometry on every vertex and edge.
SVG: well-formed XML whose root is an `<svg>` element in the SVG namespace.
Entity declarations are refused: no diagram needs them and they can explode.
"""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from cloudviz.diagram.validation.report import Problem, ValidationReport


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
