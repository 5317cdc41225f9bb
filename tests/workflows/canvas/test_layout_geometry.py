"""Geometry of the layout on the four seeded Package Management graphs (issue 17 item 3), and the everyday examples.

Each test reads the layout as drawn (edges as the curves the SVG draws,
workflows/canvas/geometry.py) and checks what a reader of the canvas relies on:
labels are readable (nothing covers them), edges are distinguishable (no two
share a stretch), sequences are straight (no staircase), error edges run as
one bundle beside the flow, and the same graph always looks the same.
"""

from __future__ import annotations

import itertools
import math

import pytest

from examples.everyday.graphs import workflow_documents as everyday_documents
from examples.package_management.graphs import workflow_documents
from workflows.canvas.geometry import line_hits_rect, polyline, rects_overlap
from workflows.canvas.layout import layout_document

DOCUMENTS = {document["identifier"]: document for document in workflow_documents()}
EVERYDAY = {document["identifier"]: document for document in everyday_documents()}


def _rect(box):
    return (box.x, box.y, box.width, box.height)


def _encloses(outer, inner) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[0] + inner[2] <= outer[0] + outer[2]
        and (inner[1] + inner[3] <= outer[1] + outer[3])
    )


def _labels(layout):
    return [(edge, edge.label_box) for edge in layout.edges if edge.label]


def _shared_stretch(a, b, tolerance=0.5, least=2.0) -> bool:
    """Whether segments a and b lie on one line and overlap by more than `least` pixels."""
    (ax, ay), (bx, by) = a
    length = math.dist(a[0], a[1])
    if length < least or math.dist(b[0], b[1]) < least:
        return False
    ux, uy = (bx - ax) / length, (by - ay) / length
    for px, py in b:
        if abs((px - ax) * uy - (py - ay) * ux) > tolerance:  # distance from a's line
            return False
    along = sorted(((px - ax) * ux + (py - ay) * uy) for px, py in b)
    return min(along[1], length) - max(along[0], 0.0) > least


def _segments(edge):
    line = polyline(edge.points, edge.back)
    return list(zip(line, line[1:], strict=False))


@pytest.fixture(params=sorted(DOCUMENTS) + sorted(EVERYDAY), scope="module")
def seeded(request):
    document = DOCUMENTS.get(request.param) or EVERYDAY[request.param]
    return document, layout_document(document)


def test_there_are_four_seeded_graphs_with_labels_and_error_edges():
    assert len(DOCUMENTS) == 4
    layouts = [layout_document(document) for document in DOCUMENTS.values()]
    assert sum(len(_labels(layout)) for layout in layouts) >= 10
    assert sum(edge.kind == "error" for layout in layouts for edge in layout.edges) >= 6


def test_no_label_overlaps_a_node_or_another_label(seeded):
    _, layout = seeded
    nodes = [_rect(box) for box in layout.nodes]
    labels = _labels(layout)
    for edge, box in labels:
        for node, rect in zip(layout.nodes, nodes, strict=True):
            if rects_overlap(box, rect):
                assert node.is_container and _encloses(rect, box), f"{edge.kind} of {edge.source} on {node.key}"
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        assert not rects_overlap(box_a, box_b), f"{a.source} {a.kind} and {b.source} {b.kind}"


def test_no_edge_covers_a_label(seeded):
    _, layout = seeded
    for edge, box in _labels(layout):
        for other in layout.edges:
            line = polyline(other.points, other.back)
            assert not line_hits_rect(line, box), f"{other.source}->{other.target} crosses {edge.source}'s {edge.kind}"


def test_no_two_edges_share_a_segment(seeded):
    _, layout = seeded
    segments = [(edge, _segments(edge)) for edge in layout.edges]
    for (a, seg_a), (b, seg_b) in itertools.combinations(segments, 2):
        for s, t in itertools.product(seg_a, seg_b):
            assert not _shared_stretch(s, t), f"{a.source}-{a.kind}->{a.target} on {b.source}-{b.kind}->{b.target}"


def test_parallel_edges_between_two_nodes_are_drawn_apart():
    layout = layout_document(DOCUMENTS["package-build"])
    parallel = [e for e in layout.edges if (e.source, e.target) == ("publish", "write-report")]
    assert sorted(e.kind for e in parallel) == ["error", "next"]
    assert parallel[0].points[0] != parallel[1].points[0] and parallel[0].points[-1] != parallel[1].points[-1]


def test_siblings_in_a_sequence_share_an_axis(seeded):
    """A step whose only successor has no other predecessor sits straight above it: no staircase."""
    document, layout = seeded
    flow = [e for e in layout.edges if e.kind != "error" and not e.back]
    outgoing = {key: [e for e in flow if e.source == key] for key in (n.key for n in layout.nodes)}
    incoming = {key: [e for e in flow if e.target == key] for key in (n.key for n in layout.nodes)}
    sequences = [e for e in flow if len(outgoing[e.source]) == 1 and len(incoming[e.target]) == 1]
    assert sequences
    for edge in sequences:
        source, target = layout.node(edge.source), layout.node(edge.target)
        assert source.cx == pytest.approx(target.cx, abs=0.5), f"{edge.source} -> {edge.target}"
        assert edge.points[0][0] == pytest.approx(edge.points[-1][0], abs=0.5)  # a straight edge between them


def test_package_build_retry_blocks_stand_in_one_column():
    layout = layout_document(DOCUMENTS["package-build"])
    blocks = ["scaffold", "build-package-retry", "run-tests-retry", "check-quality-retry", "publish", "write-report"]
    assert len({round(layout.node(key).cx, 1) for key in blocks}) == 1


def test_error_edges_run_as_a_bundle_beside_the_flow(seeded):
    """Long error edges go down lanes right of every node of their slot, one lane each, in order."""
    document, layout = seeded
    parent = {node["key"]: node.get("parent") for node in document["nodes"]}
    long_errors = [e for e in layout.edges if e.kind == "error" and len(e.points) > 2]
    for edge in long_errors:
        siblings = [n for n in layout.nodes if parent[n.key] == parent[edge.source] and n.type not in _DECLARATIONS]
        right = max(n.x + n.width for n in siblings)
        lane = {round(x, 1) for x, _ in edge.points[1:-1]}
        assert len(lane) == 1 and lane.pop() > right, f"{edge.source} error edge is not in a lane"
    lanes = [e.points[1][0] for e in long_errors]
    assert len(set(lanes)) == len(lanes)


_DECLARATIONS = {"state", "signal_handler", "query", "update_handler"}


def test_layout_is_deterministic(seeded):
    document, layout = seeded
    again = layout_document(document)
    assert [(n.key, n.x, n.y) for n in again.nodes] == [(n.key, n.x, n.y) for n in layout.nodes]
    assert [(e.points, e.label_box) for e in again.edges] == [(e.points, e.label_box) for e in layout.edges]


def test_many_error_edges_into_one_node_enter_its_top_apart():
    nodes = [{"key": "start", "type": "start", "label": "Start", "config": {}}]
    edges = []
    for index in range(8):
        key = f"step-{index}"
        nodes.append({"key": key, "type": "activity", "label": key, "config": {}})
        edges += [
            {"source": nodes[-2]["key"], "target": key, "kind": "next"},
            {"source": key, "target": "handler", "kind": "error"},
        ]
    nodes.append({"key": "handler", "type": "activity", "label": "Handler", "config": {}})
    edges.append({"source": "step-7", "target": "handler", "kind": "next"})
    layout = layout_document({"nodes": nodes, "edges": edges})
    handler = layout.node("handler")
    entries = sorted(edge.points[-1][0] for edge in layout.edges if edge.target == "handler")
    assert len(entries) == 9 and all(b - a > 4 for a, b in zip(entries, entries[1:], strict=False))
    assert handler.x < entries[0] and entries[-1] < handler.x + handler.width
