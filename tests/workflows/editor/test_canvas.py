"""The canvas layout and its SVG: nothing overlaps, containers enclose their children, badges read well."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core.cache import cache

from tests.factories import make_project, make_user, make_workflow_from_document, sample_document
from workflows.canvas.badges import node_badges
from workflows.canvas.layout import layout_document
from workflows.canvas.svg import cached_layout, canvas_context, layout_cache_key, render_workflow_svg
from workflows.node_types.drawing import cron_in_words


def _inside(inner, outer) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.width <= outer.x + outer.width
        and inner.y + inner.height <= outer.y + outer.height
    )


def _overlap(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def _parents(document: dict) -> dict[str, str | None]:
    return {node["key"]: node.get("parent") for node in document["nodes"]}


def _ancestors(key: str, parents: dict) -> set[str]:
    found = set()
    while parents.get(key):
        key = parents[key]
        found.add(key)
    return found


@pytest.mark.parametrize("extra_steps", [0, 5, 40])
def test_nodes_do_not_overlap_and_containers_enclose_their_children(extra_steps):
    document = sample_document(extra_steps=extra_steps)
    layout = layout_document(document)
    parents = _parents(document)
    boxes = {box.key: box for box in layout.nodes}
    assert set(boxes) == set(parents)
    for a, b in itertools.combinations(layout.nodes, 2):
        nested = a.key in _ancestors(b.key, parents) or b.key in _ancestors(a.key, parents)
        if nested:
            inner, outer = (b, a) if a.key in _ancestors(b.key, parents) else (a, b)
            assert _inside(inner, outer), f"{inner.key} sticks out of {outer.key}"
        else:
            assert not _overlap(a, b), f"{a.key} overlaps {b.key}"
    for box in layout.nodes:
        assert box.x >= 0 and box.x + box.width <= layout.width
        assert box.y >= 0 and box.y + box.height <= layout.height


def test_remediation_slot_sits_beside_the_body_inside_the_retry_block():
    layout = layout_document(sample_document())
    block = layout.node("build")
    body, remediation = block.slots
    assert (body.name, remediation.name) == ("body", "remediation")
    assert body.x + body.width <= remediation.x
    assert _inside(layout.node("compile"), body)
    assert _inside(layout.node("fix"), remediation)


def test_flow_goes_down_and_edges_join_their_nodes():
    layout = layout_document(sample_document())
    start, prepare, exists, done = (layout.node(k) for k in ("start", "prepare", "exists", "done"))
    assert start.y + start.height <= prepare.y < prepare.y + prepare.height <= exists.y < done.y
    for edge in layout.edges:
        source, target = layout.node(edge.source), layout.node(edge.target)
        (x0, y0), (x1, y1) = edge.points[0], edge.points[-1]
        assert source.x <= x0 <= source.x + source.width and source.y <= y0 <= source.y + source.height
        assert y1 == target.y and target.x < x1 < target.x + target.width  # enters the top (apart from others)
    true_edge = next(e for e in layout.edges if e.kind == "true")
    false_edge = next(e for e in layout.edges if e.kind == "false")
    assert true_edge.points[0][0] < false_edge.points[0][0]  # true leaves the diamond's left corner


def test_declarations_stand_beside_the_flow():
    layout = layout_document(sample_document())
    flow_right = max(b.x + b.width for b in layout.nodes if b.type not in ("state", "signal_handler", "query"))
    for key in ("queue", "on-add", "size"):
        assert layout.node(key).x > flow_right


def test_a_cycle_outside_a_loop_is_drawn_as_a_back_edge():
    document = {
        "nodes": [
            {"key": "a", "type": "activity", "label": "A", "config": {}},
            {"key": "b", "type": "activity", "label": "B", "config": {}},
        ],
        "edges": [{"source": "a", "target": "b", "kind": "next"}, {"source": "b", "target": "a", "kind": "next"}],
    }
    layout = layout_document(document)
    assert [e.back for e in layout.edges] == [False, True]
    assert layout.node("a").y < layout.node("b").y


def test_badges_describe_retry_cron_concurrency_and_continue_as_new():
    assert cron_in_words("*/30 * * * *") == "Every 30 minutes"
    retry = node_badges("activity", {"retry": {"max_attempts": 5, "initial_interval": 1.0, "backoff_coefficient": 2.0}})
    assert retry[0].text == "retry 5× 1s ×2"
    spawner = node_badges("spawner", {"max_concurrency": "input.limit", "depends_on": "item.deps", "workflow": "b"})
    assert [b.text for b in spawner[:2]] == ["max input.limit", "dependency-aware"]
    loop = node_badges("loop", {"while_expression": "True", "continue_as_new_iterations": 100})
    assert loop[-1].title == "Continues as new when suggested, every 100 iterations"
    assert node_badges("activity", {}, has_error_edge=True)[-1].text == "on error →"


def test_svg_marks_error_nodes_selection_and_run_status():
    layout = layout_document(sample_document())
    diagnostics = [type("D", (), {"node": "check", "is_error": True, "message": "unknown activity"})()]
    context = canvas_context(
        layout,
        selected="exists",
        diagnostics=diagnostics,
        statuses={"compile": {"status": "retrying", "attempt": 2}, "check": {"status": "completed"}},
    )
    views = {n.key: n for n in context["nodes"]}
    assert "has-error" in views["check"].classes and views["check"].errors == ["unknown activity"]
    assert "is-selected" in views["exists"].classes
    assert "status-retrying" in views["compile"].classes
    assert views["compile"].status_text == "retrying · attempt 2"
    assert "status-completed" in views["check"].classes


def test_a_container_s_badges_stop_before_its_run_status():
    """The status sits at the right end of a container's header row; badges must not run under it."""
    from examples.package_management.graphs.continuous_builder import continuous_builder

    document = continuous_builder()
    containers = [n["key"] for n in document["nodes"] if n["type"] in ("loop", "spawner", "retry_block")]
    statuses = {key: {"status": "retrying", "attempt": 3} for key in containers}
    for view in (v for v in canvas_context(layout_document(document), statuses=statuses)["nodes"] if v.badges):
        if view.key in containers:
            status_start = view.status_x - len(view.status_text) * 7.0
            assert view.badges[-1].x + view.badges[-1].width < status_start, view.key
    idle = {v.key: v for v in canvas_context(layout_document(document))["nodes"]}
    running = {v.key: v for v in canvas_context(layout_document(document), statuses=statuses)["nodes"]}
    assert any(len(running[key].badges) < len(idle[key].badges) for key in containers)  # a badge made room


@pytest.mark.django_db
def test_render_workflow_svg_draws_every_node_and_caches_the_layout_per_version():
    cache.clear()
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    svg = render_workflow_svg(workflow)
    assert svg.lstrip().startswith("<svg")
    assert set(re.findall(r'id="node-([^"]+)"', svg)) == {n.key for n in workflow.nodes.all()}
    assert "Every 30 minutes" in svg
    assert "tabindex" not in svg  # read-only: nothing to focus or click
    assert cache.get(layout_cache_key(workflow)) is not None
    workflow.version += 1
    assert cache.get(layout_cache_key(workflow)) is None
    assert cached_layout(workflow, sample_document()).width > 0
