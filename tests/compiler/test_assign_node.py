"""The assign node: sets state and result variables from expressions, with no activity and no history event."""

from __future__ import annotations

import pytest

from compiler.ir import Graph, IREdge, IRNode
from compiler.validate.graph import validate
from tests.compiler.documents import golden_document
from tests.compiler.execution import document, event_types, load_documents, run_workflow


def just_start_and_end() -> dict:
    return document(
        "plain",
        [
            {"key": "start", "type": "start", "config": {"input_fields": [{"name": "name", "type": "str"}]}},
            {"key": "done", "type": "end", "config": {"result": "{'count': 2, 'greeting': 'hello ada #0'}"}},
        ],
        [("start", "done")],
    )


@pytest.mark.temporal
def test_assign_sets_state_and_results_without_a_history_event(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden_document("assign"), just_start_and_end())

    result, history, answers = run_async(
        run_workflow(temporal_env, workflows, [], "assign", {"name": "ada"}, queries=["progress"])
    )
    plain_result, plain_history, _ = run_async(run_workflow(temporal_env, workflows, [], "plain", {"name": "ada"}))

    # Both values of `bump` are computed before either is set: the greeting sees count 0.
    assert result == plain_result == {"count": 2, "greeting": "hello ada #0"}
    assert event_types(history) == event_types(plain_history)
    assert answers["progress"]["nodes"] == {"bump": "completed", "again": "completed"}


def assigning(values: dict) -> Graph:
    return Graph(
        "assigning",
        nodes=(
            IRNode("start", "start", "Start"),
            IRNode("total", "state", "Total", {"name": "total", "type": "int", "initial": 0}),
            IRNode("add", "assign", "Add", {"values": values}),
            IRNode("done", "end", "Done", {"result": "total"}),
        ),
        edges=(IREdge("start", "add"), IREdge("add", "done")),
    )


def test_assign_may_set_a_state_variable_and_a_new_one():
    assert not [d for d in validate(assigning({"total": "total + 1", "note": "'added'"})) if d.is_error]


def test_each_value_is_checked_where_it_stands():
    found = {
        (d.node, d.field): d.message for d in validate(assigning({"total": "totl + 1", "item": "1"})) if d.is_error
    }

    assert "unknown name 'totl'" in found[("add", "values.total")]
    assert "reserved" in found[("add", "values.item")]


def test_an_assign_needs_values():
    found = {(d.node, d.field): d.message for d in validate(assigning({})) if d.is_error}

    assert found[("add", "values")] == "Values is required"
