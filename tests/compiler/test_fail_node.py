"""The fail node: ends the run as failed, also after compensation and inside containers; parents see a failed child."""

from __future__ import annotations

import pytest
from temporalio import activity
from temporalio.exceptions import ApplicationError, ChildWorkflowError

from compiler.ir import Graph, IREdge, IRNode
from compiler.pipeline import compile_graph
from compiler.validate.graph import validate
from tests.compiler.documents import golden_document, graph_from_document
from tests.compiler.execution import (
    activity_ids,
    document,
    event_types,
    load_documents,
    run_to_failure,
    run_workflow,
)

CALLS: list[str] = []


@activity.defn(name="withdraw")
async def withdraw(arguments: dict) -> None:
    CALLS.append("withdraw")


@activity.defn(name="deposit")
async def deposit(arguments: dict) -> None:
    CALLS.append("deposit")
    raise ApplicationError("account closed", non_retryable=True)


@activity.defn(name="refund")
async def refund(arguments: dict) -> None:
    CALLS.append("refund")


TRANSFER = [withdraw, deposit, refund]


def failing(identifier: str = "failing", message: str = "'no ' + input.what") -> dict:
    return document(
        identifier,
        [
            {"key": "start", "type": "start", "config": {}},
            {"key": "stop", "type": "fail", "config": {"error_type": "Refused", "message": message}},
        ],
        [("start", "stop")],
    )


@pytest.mark.temporal
def test_a_saga_refunds_then_fails_with_type_message_and_details(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden_document("fail"))
    CALLS.clear()

    failure, history = run_async(run_to_failure(temporal_env, workflows, TRANSFER, "fail", {"amount": 5}))

    assert isinstance(failure, ApplicationError)
    assert (failure.type, failure.message, failure.details) == (
        "TransferFailed",
        "deposit refused, 5 refunded",
        ({"amount": 5},),
    )
    assert failure.non_retryable
    assert CALLS == ["withdraw", "deposit", "refund"]
    assert activity_ids(history) == ["withdraw", "deposit", "refund"]
    assert event_types(history)[-1] == "WORKFLOW_EXECUTION_FAILED"
    assert event_types(history).count("WORKFLOW_TASK_FAILED") == 0  # failed once, not retried as a task


@pytest.mark.temporal
def test_a_fail_inside_a_retry_block_is_not_retried_nor_taken_by_its_error_edge(temporal_env, run_async, tmp_path):
    graph = document(
        "retrying",
        [
            {"key": "start", "type": "start", "config": {}},
            {"key": "again", "type": "retry_block", "config": {"max_attempts": 3, "on_exhausted": "error_edge"}},
            {"key": "take", "type": "activity", "parent": "again", "config": {"activity": "withdraw"}},
            {"key": "stop", "type": "fail", "parent": "again", "config": {"message": "'stop here'"}},
            {"key": "caught", "type": "end", "config": {"result": "'caught'"}},
        ],
        [("start", "again"), ("again", "caught", "error"), ("take", "stop")],
    )
    workflows = load_documents(tmp_path, graph)
    CALLS.clear()

    failure, history = run_async(run_to_failure(temporal_env, workflows, TRANSFER, "retrying"))

    assert (failure.type, failure.message) == ("WorkflowFailed", "stop here")
    assert activity_ids(history) == ["take-1"]


@pytest.mark.temporal
def test_a_parent_sees_a_failed_child_and_takes_its_error_edge(temporal_env, run_async, tmp_path):
    parent = document(
        "parent",
        [
            {"key": "start", "type": "start", "config": {}},
            {"key": "child", "type": "child_workflow", "config": {"workflow": "failing", "input": "{'what': 'money'}"}},
            {"key": "ok", "type": "end", "config": {"result": "'ok'"}},
            {"key": "seen", "type": "end", "config": {"result": "'child failed'"}},
        ],
        [("start", "child"), ("child", "ok"), ("child", "seen", "error")],
    )
    workflows = load_documents(tmp_path, parent, failing())

    result, history, _ = run_async(run_workflow(temporal_env, workflows, [], "parent"))

    assert result == "child failed"
    assert "CHILD_WORKFLOW_EXECUTION_FAILED" in event_types(history)


@pytest.mark.temporal
def test_a_failed_child_fails_a_parent_without_an_error_edge(temporal_env, run_async, tmp_path):
    parent = document(
        "parent",
        [
            {"key": "start", "type": "start", "config": {}},
            {"key": "child", "type": "child_workflow", "config": {"workflow": "failing", "input": "{'what': 'money'}"}},
        ],
        [("start", "child")],
    )
    workflows = load_documents(tmp_path, parent, failing())

    failure, _ = run_async(run_to_failure(temporal_env, workflows, [], "parent"))

    assert isinstance(failure, ChildWorkflowError)
    assert (failure.cause.type, failure.cause.message) == ("Refused", "no money")


def test_a_fail_node_needs_a_message_and_has_no_way_out():
    graph = Graph(
        "broken",
        nodes=(
            IRNode("start", "start", "Start"),
            IRNode("stop", "fail", "Stop", {"error_type": "not a name"}),
            IRNode("after", "end", "After"),
        ),
        edges=(IREdge("start", "stop"), IREdge("stop", "after")),
    )

    found = {(d.node, d.field, d.edge): d.message for d in validate(graph) if d.is_error}

    assert found[("stop", "message", None)] == "Message is required"
    assert "not a valid name" in found[("stop", "error_type", None)]
    assert "cannot have outgoing edges" in found[("stop", None, "stop -next-> after")]


def test_a_fail_message_uses_only_known_names():
    result = compile_graph(graph_from_document(failing(message="'no ' + wanted")))

    assert [(d.node, d.field) for d in result.diagnostics if d.is_error] == [("stop", "message")]
    assert "unknown name 'wanted'" in next(d.message for d in result.diagnostics if d.is_error)


def test_a_fail_node_is_where_a_flow_may_finish_not_a_dead_end():
    graph = Graph(
        "finishing",
        nodes=(
            IRNode("start", "start", "Start"),
            IRNode("check", "condition", "Check", {"expression": "True"}),
            IRNode("ok", "end", "Ok"),
            IRNode("stop", "fail", "Stop", {"message": "'no'"}),
        ),
        edges=(IREdge("start", "check"), IREdge("check", "ok", "true"), IREdge("check", "stop", "false")),
    )

    assert validate(graph) == []
