from cloudviz.diagram.escape import css_token
from cloudviz.diagram.model import Diagram, Edge, Node
from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.writers import svg


def test_css_token_keeps_names_and_neutralises_markup():
    assert css_token("secured_by") == "secured_by"
    assert css_token('x" onload="alert(1)') == "x__onload__alert_1_"


def test_svg_edge_classes_cannot_break_out_of_their_attribute():
    hostile = 'uses"><script>alert(1)</script>'
    nodes = [
        Node(
            id=name, label=name, kind="compute.vm", provider="aws", width=10, height=10
        )
        for name in ("a", "b")
    ]
    edge = Edge(
        id="e",
        source="a",
        target="b",
        type=hostile,
        status='added" x="',
        points=[(0, 0), (5, 5)],
    )
    page = Diagram(
        title="t", view="dependencies", nodes=nodes, edges=[edge], width=50, height=50
    )
    document = svg.write([page], RenderOptions()).decode()
    assert "<script" not in document
