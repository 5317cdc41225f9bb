"""Each rule is reported once, by the validator: the panel, View code and Deploy say the same; the emitter asserts."""

from __future__ import annotations

import pytest

from compiler.builds.deploy import deploy_project
from compiler.emit.module import emit
from compiler.lower import lower
from compiler.pipeline import compile_graph
from compiler.validate.graph import validate
from tests.compiler.conftest import BUILTIN_ACTIVITIES
from tests.compiler.documents import graph_from_document
from tests.factories import make_project, make_user, make_workflow_from_document


def spawner(key: str, **placement) -> dict:
    config = {"items": "input.items", "workflow": "worker"}
    return {"key": key, "type": "spawner", "config": config, **placement}


def on_complete(of: str) -> dict:
    return {"parent": of, "slot": "on_complete"}


def document(identifier: str, nodes: list[dict], edges: list[tuple[str, str]]) -> dict:
    return {
        "identifier": identifier,
        "nodes": [{"key": "start", "type": "start"}, *nodes],
        "edges": [{"source": source, "target": target} for source, target in edges],
    }


# identifier -> (document, the one error it has: node, field, message)
CASES = {
    "nested-spawner": (
        document(
            "nested-spawner",
            [
                spawner("outer"),
                {"key": "each", "type": "phase", "config": {"name": "Each"}, **on_complete("outer")},
                spawner("inner", parent="each"),
            ],
            [("start", "outer")],
        ),
        ("inner", "parent", "A spawner cannot be inside the on_complete steps of spawner 'outer'"),
    ),
    "end-in-on-complete": (
        document(
            "end-in-on-complete",
            [spawner("outer"), {"key": "stop", "type": "end", **on_complete("outer")}],
            [("start", "outer")],
        ),
        (
            "stop",
            "parent",
            "An end node cannot be among the on_complete steps of spawner 'outer' "
            "(they run once per finished child, side by side)",
        ),
    ),
    "twice-handled": (
        document(
            "twice-handled",
            [
                {"key": "h1", "type": "signal_handler", "config": {"signal": "pause"}},
                {"key": "h2", "type": "signal_handler", "config": {"signal": "pause"}},
            ],
            [],
        ),
        ("h2", "signal", "Signal 'pause' is declared twice (also by 'h1')"),
    ),
    "undeclared-state": (
        document(
            "undeclared-state",
            [
                {
                    "key": "h",
                    "type": "signal_handler",
                    "config": {"signal": "add", "actions": [{"op": "append", "var": "queue", "value": "payload"}]},
                }
            ],
            [],
        ),  # fmt: skip
        ("h", "actions.1.var", "Action 1 (append) changes 'queue', which is not a declared state variable"),
    ),
    "built-in-query": (
        document(
            "built-in-query",
            [{"key": "q", "type": "query", "config": {"name": "progress", "expression": "1"}}],
            [],
        ),
        ("q", "name", "Query name 'progress' is built in: every workflow answers it with its phase and node statuses"),
    ),
    "spinning-loop": (
        document("spinning-loop", [{"key": "forever", "type": "loop"}], [("start", "forever")]),
        ("forever", "wait_for", "Loop 'forever' is empty and has no wait_for: it would spin without ever waiting"),
    ),
}


def errors_of(diagnostics) -> list[tuple]:
    return sorted((d.node, d.field, d.message) for d in diagnostics if d.is_error)


@pytest.mark.parametrize("identifier", list(CASES))
def test_the_validator_reports_the_rule_once_on_the_node_and_field(identifier):
    source, expected = CASES[identifier]
    assert errors_of(validate(graph_from_document(source))) == [expected]


@pytest.mark.parametrize("identifier", list(CASES))
def test_compiling_reports_exactly_what_the_validator_reports(identifier):
    source, expected = CASES[identifier]
    graph = graph_from_document(source)
    result = compile_graph(graph)
    assert result.source is None
    assert errors_of(result.diagnostics) == errors_of(validate(graph)) == [expected]


def test_a_loop_that_waits_may_be_empty():
    waiting = {"key": "idle", "type": "loop", "config": {"wait_for": "input.go"}}
    graph = graph_from_document(document("waiting", [waiting], [("start", "idle")]))
    assert errors_of(validate(graph)) == []
    assert compile_graph(graph).ok


def test_a_spawner_and_an_end_after_the_on_complete_steps_are_fine():
    nodes = [
        spawner("outer"),
        {"key": "note", "type": "timer", "config": {"duration": "1"}, **on_complete("outer")},
        spawner("next"),
        {"key": "done", "type": "end"},
    ]
    graph = graph_from_document(document("after", nodes, [("start", "outer"), ("outer", "next"), ("next", "done")]))
    assert errors_of(validate(graph)) == []


def test_deploy_refuses_with_the_validators_messages(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = [BUILTIN_ACTIVITIES]
    project = make_project(make_user(), name="Broken rules")
    for source, _ in CASES.values():
        make_workflow_from_document(project, source)
    result = deploy_project(project, project.owner, activation_wait=0)
    assert not result.ok and result.deployment is None
    for identifier, (_, expected) in CASES.items():
        errors = errors_of(result.diagnostics[identifier])
        assert errors.count(expected) == 1, errors


@pytest.mark.parametrize("identifier", list(CASES))
def test_emitting_a_graph_that_skipped_validation_is_an_assertion_not_a_second_report(identifier):
    source, _ = CASES[identifier]
    tree, diagnostics = lower(graph_from_document(source))
    assert tree is not None and diagnostics == []
    with pytest.raises(AssertionError, match="the graph was not validated"):
        emit(tree)
