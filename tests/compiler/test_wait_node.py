"""The wait node: waits until state says so (signals change it), and a timeout takes its error edge."""

from __future__ import annotations

import asyncio

import pytest

from compiler.ir import Graph, IREdge, IRNode
from compiler.validate.graph import validate
from tests.compiler.documents import golden_document
from tests.compiler.execution import document, event_types, load_documents, run_to_failure, run_workflow

SECOND = 1 / 3600  # of an hour, the approval graph's unit


@pytest.mark.temporal
def test_a_signal_ends_the_wait(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden_document("wait"))

    async def approve(handle):
        while (await handle.query("progress"))["nodes"]["approval"] != "running":
            await asyncio.sleep(0.05)
        await handle.signal("approve")

    result, history, answers = run_async(
        run_workflow(temporal_env, workflows, [], "wait", {"hours": 60 * SECOND}, during=approve, queries=["progress"])
    )

    assert result == "approved"
    events = event_types(history)
    assert events.count("TIMER_STARTED") == 1 and "TIMER_FIRED" not in events  # the timeout's timer, cancelled
    assert "ACTIVITY_TASK_SCHEDULED" not in events
    assert answers["progress"]["nodes"] == {"settle": "completed", "approval": "completed"}


@pytest.mark.temporal
def test_the_timeout_takes_the_error_edge(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden_document("wait"))

    result, history, _ = run_async(run_workflow(temporal_env, workflows, [], "wait", {"hours": SECOND}))

    assert result == "expired: Wait for approval: still waiting after 1 seconds"
    assert "TIMER_FIRED" in event_types(history)


@pytest.mark.temporal
def test_without_an_error_edge_the_timeout_fails_the_run(temporal_env, run_async, tmp_path):
    graph = document(
        "waiting",
        [
            {"key": "start", "type": "start", "config": {}},
            {"key": "never", "type": "wait", "label": "Never", "config": {"until": "False", "timeout": "0.5"}},
        ],
        [("start", "never")],
    )
    workflows = load_documents(tmp_path, graph)

    failure, _ = run_async(run_to_failure(temporal_env, workflows, [], "waiting"))

    assert (failure.type, failure.message) == ("WaitTimedOut", "Never: still waiting after 0.5 seconds")


@pytest.mark.parametrize(
    ("config", "field", "message"),
    [
        ({"until": "aproved"}, "until", "unknown name 'aproved'"),
        ({"until": "approved", "timeout": "soon"}, "timeout", "unknown name 'soon'"),
        ({}, "until", "Until is required"),
    ],
)
def test_wait_settings_are_checked_where_they_stand(config, field, message):
    graph = Graph(
        "waiting",
        nodes=(
            IRNode("start", "start", "Start"),
            IRNode("approved", "state", "Approved", {"name": "approved", "type": "bool"}),
            IRNode("hold", "wait", "Hold", config),
        ),
        edges=(IREdge("start", "hold"),),
    )

    found = {d.field: d.message for d in validate(graph) if d.is_error and d.node == "hold"}

    assert message in found[field]
