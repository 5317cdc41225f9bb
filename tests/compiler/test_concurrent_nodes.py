"""parallel and map nodes: validated, compiled and run side by side on the real Temporal server.

Each run checks the result and the history: the branches' (or items')
activities are all scheduled before the first one completes, a failure
cancels what still runs (ActivityTaskCancelRequested) and takes the error
edge, and a map of N items or a parallel of K branches makes no more history
events than the same work written by hand with `asyncio.gather`
(tests/compiler/concurrent_reference.py).
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from compiler.pipeline import compile_graph
from compiler.validate.graph import validate
from tests.compiler.concurrent_reference import ReferenceMap, ReferenceParallel
from tests.compiler.documents import graph_from_document
from tests.compiler.execution import activity_ids, document, load_documents, run_workflow, studio_id
from workflows.canvas.layout import layout_document
from workflows.canvas.svg import render_document_svg

RUNNING: list[str] = []
MOST_AT_ONCE: list[int] = [0]


@activity.defn(name="echo")
async def echo(arguments: dict):
    """Returns its value after a short while; `fail` fails it, and the calls running at once are counted."""
    RUNNING.append(str(arguments["value"]))
    MOST_AT_ONCE[0] = max(MOST_AT_ONCE[0], len(RUNNING))
    try:
        await asyncio.sleep(arguments.get("seconds", 0))
        if arguments["value"] == "fail":
            raise ApplicationError("echo refused 'fail'", non_retryable=True)
        return arguments["value"]
    finally:
        RUNNING.remove(str(arguments["value"]))


def parallel_document(slow_seconds: float = 0.3, failing: str = "'b'", branches: int = 2) -> dict:
    nodes = [
        {"key": "start", "type": "start", "config": {}},
        {"key": "both", "type": "parallel", "label": "Both", "config": {"branches": branches}},
        {
            "key": "a",
            "type": "activity",
            "parent": "both",
            "slot": "branch_1",
            "config": {"activity": "echo", "args": {"value": "'a'", "seconds": str(slow_seconds)}, "result_var": "a"},
        },
        {
            "key": "b",
            "type": "activity",
            "parent": "both",
            "slot": "branch_2",
            "config": {"activity": "echo", "args": {"value": failing}, "result_var": "b"},
        },
        {"key": "failed", "type": "end", "config": {"result": "'a branch failed'"}},
        {"key": "done", "type": "end", "config": {"result": "{'a': a, 'b': b}"}},
    ]
    return document("both-branches", nodes, [("start", "both"), ("both", "done"), ("both", "failed", "error")])


def map_document(on_failure: str = "fail_fast", max_concurrency: int = 2, error_edge: bool = False) -> dict:
    nodes = [
        {"key": "start", "type": "start", "config": {"input_fields": [{"name": "items", "type": "list"}]}},
        {
            "key": "each",
            "type": "map",
            "label": "Echo each",
            "config": {
                "items": "input['items']",
                "activity": "echo",
                "args": {"value": "item", "seconds": "0.05"},
                "max_concurrency": max_concurrency,
                "on_failure": on_failure,
                "result_var": "echoed",
                "retry": {"max_attempts": 1},
            },
        },
        {"key": "done", "type": "end", "config": {"result": "echoed"}},
        {"key": "failed", "type": "end", "config": {"result": "'an item failed'"}},
    ]
    edges = [("start", "each"), ("each", "done")] + ([("each", "failed", "error")] if error_edge else [])
    return document("each-item", nodes if error_edge else nodes[:-1], edges)


def event_types(history) -> list[str]:
    return [EventType.Name(event.event_type) for event in history.events]


def errors_of(doc: dict) -> list[tuple[str, str, str]]:
    return [(d.node, d.field, d.message) for d in validate(graph_from_document(doc)) if d.is_error]


def test_a_step_in_a_branch_beyond_the_count_is_an_error_on_that_step():
    doc = parallel_document()
    doc["nodes"][3]["slot"] = "branch_3"

    assert errors_of(doc) == [("b", "slot", "'both' runs 2 branches, so nothing in branch 3 would run")]


def test_an_end_node_in_a_branch_is_refused():
    doc = parallel_document()
    doc["nodes"].append({"key": "stop", "type": "end", "parent": "both", "slot": "branch_2", "config": {}})
    doc["edges"].append({"source": "b", "target": "stop", "kind": "next"})

    assert [e[:2] for e in errors_of(doc)] == [("stop", "parent")]


def test_a_used_branch_without_steps_gets_a_warning():
    diagnostics = validate(graph_from_document(parallel_document(branches=3)))

    assert [(d.node, d.field, d.is_error) for d in diagnostics] == [("both", "branches", False)]


def test_a_map_argument_sees_item_and_nothing_else_does():
    doc = map_document()
    doc["nodes"][2]["config"]["result"] = "item"

    assert [e[:2] for e in errors_of(doc)] == [("done", "result")]
    assert compile_graph(graph_from_document(map_document())).source is not None


@pytest.mark.temporal
def test_branches_run_side_by_side_and_join(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, parallel_document())

    result, history, answers = run_async(
        run_workflow(temporal_env, workflows, [echo], "both-branches", queries=["progress"])
    )

    assert result == {"a": "a", "b": "b"}
    types = event_types(history)
    assert types.count("EVENT_TYPE_ACTIVITY_TASK_SCHEDULED") == 2
    assert types.index("EVENT_TYPE_ACTIVITY_TASK_COMPLETED") > max(
        i for i, t in enumerate(types) if t == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED"
    )
    assert answers["progress"]["nodes"] == {"both": "completed", "a": "completed", "b": "completed"}


@pytest.mark.temporal
def test_a_failing_branch_cancels_the_others_and_takes_the_error_edge(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, parallel_document(slow_seconds=5, failing="'fail'"))

    result, history, _ = run_async(run_workflow(temporal_env, workflows, [echo], "both-branches"))

    assert result == "a branch failed"
    types = event_types(history)
    assert "EVENT_TYPE_ACTIVITY_TASK_FAILED" in types
    assert "EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED" in types
    assert "EVENT_TYPE_ACTIVITY_TASK_COMPLETED" not in types


@pytest.mark.temporal
def test_a_map_keeps_item_order_and_its_concurrency_limit(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, map_document(max_concurrency=2))
    MOST_AT_ONCE[0] = 0
    items = ["x", "y", "z", "w", "v"]

    result, history, _ = run_async(run_workflow(temporal_env, workflows, [echo], "each-item", {"items": items}))

    assert result == items
    assert activity_ids(history) == [f"each-{n}" for n in range(1, 6)]
    assert MOST_AT_ONCE[0] == 2


@pytest.mark.temporal
def test_a_map_fails_fast_through_its_error_edge(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, map_document(max_concurrency=1, error_edge=True))

    result, history, _ = run_async(
        run_workflow(temporal_env, workflows, [echo], "each-item", {"items": ["x", "fail", "y"]})
    )

    assert result == "an item failed"
    assert activity_ids(history) == ["each-1", "each-2"]  # the third never started


@pytest.mark.temporal
def test_a_map_without_an_error_edge_fails_the_run_naming_the_item(temporal_env, run_async, tmp_path):
    from temporalio.client import WorkflowFailureError

    workflows = load_documents(tmp_path, map_document())

    with pytest.raises(WorkflowFailureError) as failed:
        run_async(run_workflow(temporal_env, workflows, [echo], "each-item", {"items": ["x", "fail"]}))

    assert failed.value.cause.type == "MapItemFailed"
    assert "map each: item 2 of 2 failed" in failed.value.cause.message
    assert "echo refused 'fail'" in failed.value.cause.message


@pytest.mark.temporal
def test_a_map_that_collects_reports_every_item(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, map_document(on_failure="collect"))

    result, _, _ = run_async(run_workflow(temporal_env, workflows, [echo], "each-item", {"items": ["x", "fail", "y"]}))

    assert [item["status"] for item in result] == ["completed", "failed", "completed"]
    assert [item["result"] for item in result] == ["x", None, "y"]
    assert "echo refused 'fail'" in result[1]["error"]


WORKFLOW_TASK_EVENTS = {
    "EVENT_TYPE_WORKFLOW_TASK_SCHEDULED",
    "EVENT_TYPE_WORKFLOW_TASK_STARTED",
    "EVENT_TYPE_WORKFLOW_TASK_COMPLETED",
}


def work_events(history) -> int:
    """Events the workflow's commands cause (workflow-task events left out: how many workflow tasks
    the server makes depends on when the activities' completions arrive, for any code)."""
    return sum(1 for kind in event_types(history) if kind not in WORKFLOW_TASK_EVENTS)


def scheduled_at_once(history) -> int:
    """Activities scheduled by the first workflow task (all of them, when the calls start together)."""
    first = next(
        e.event_id for e in history.events if EventType.Name(e.event_type) in ("EVENT_TYPE_WORKFLOW_TASK_COMPLETED",)
    )
    return sum(
        1
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
        and e.activity_task_scheduled_event_attributes.workflow_task_completed_event_id == first
    )


async def _reference_history(env, reference: type, argument):
    queue = f"reference-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=[reference], activities=[echo]):
        name = reference.__temporal_workflow_definition.name
        handle = await env.client.start_workflow(name, argument, id=studio_id(name), task_queue=queue)
        await handle.result()
        return await handle.fetch_history()


@pytest.mark.temporal
def test_a_map_of_20_and_a_parallel_of_4_make_no_more_events_than_hand_written_gather(
    temporal_env, run_async, tmp_path
):
    items = [f"item-{n}" for n in range(20)]
    map_doc = map_document(max_concurrency=20)
    map_doc["nodes"][1]["config"]["args"] = {"value": "item"}
    four = parallel_document(slow_seconds=0, branches=4)
    for n in (3, 4):
        four["nodes"].append(
            {
                "key": f"c{n}",
                "type": "activity",
                "parent": "both",
                "slot": f"branch_{n}",
                "config": {"activity": "echo", "args": {"value": str(n)}},
            }
        )
    workflows = load_documents(tmp_path, map_doc, four)

    mapped, map_history, _ = run_async(run_workflow(temporal_env, workflows, [echo], "each-item", {"items": items}))
    _, parallel_history, _ = run_async(run_workflow(temporal_env, workflows, [echo], "both-branches"))
    by_hand_map = run_async(_reference_history(temporal_env, ReferenceMap, items))
    by_hand_parallel = run_async(_reference_history(temporal_env, ReferenceParallel, 4))

    assert mapped == items
    assert work_events(map_history) <= work_events(by_hand_map) == 1 + 20 * 3 + 1
    assert work_events(parallel_history) <= work_events(by_hand_parallel) == 1 + 4 * 3 + 1
    assert scheduled_at_once(map_history) == scheduled_at_once(by_hand_map) == 20
    assert scheduled_at_once(parallel_history) == scheduled_at_once(by_hand_parallel) == 4


def test_the_canvas_draws_a_parallel_node_as_a_container_with_its_branches():
    doc = parallel_document()
    box, first, second = (layout_document(doc).node(key) for key in ("both", "a", "b"))

    assert [slot.name for slot in box.slots] == ["branch_1", "branch_2", "branch_3", "branch_4"]
    assert box.x < first.x < second.x < box.x + box.width  # the branches side by side inside it
    svg = render_document_svg(doc)
    assert "branch 1" in svg and "2 branches" in svg
