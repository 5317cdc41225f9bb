"""Signal-with-start, cancel_children, cron triggers and run-time expression errors on real servers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.worker import Worker

import compiler.activities.signals  # noqa: F401  (registers signal_with_start)
from compiler.activities.registry import get_activity
from compiler.pipeline import compile_graph
from compiler.runtime.children import Children
from compiler.runtime.project_ids import prefix_of, project_prefix
from tests.compiler.documents import GOLDEN_DIR, graph_from_document
from tests.compiler.execution import document, load_documents, run_workflow, studio_id

pytestmark = pytest.mark.temporal
PREFIX = project_prefix(uuid.uuid4().hex)

COLLECTOR = document(
    "collector",
    [
        {"key": "start", "type": "start", "config": {
            "input_fields": [{"name": "expected", "type": "int", "default": 1}]}},
        {"key": "received", "type": "state", "config": {"name": "received", "type": "list"}},
        {"key": "on-add", "type": "signal_handler", "config": {"signal": "add", "actions": [
            {"op": "extend", "var": "received", "value": "payload"}]}},
        {"key": "wait", "type": "loop", "config": {
            "while_expression": "len(received) < input.expected", "wait_for": "len(received) >= input.expected",
            "continue_as_new_suggested": False}},
        {"key": "tick", "type": "timer", "parent": "wait", "config": {"duration": "0.01"}},
        {"key": "done", "type": "end", "config": {"result": "{'received': received, 'expected': input.expected}"}},
    ],
    [("start", "wait"), ("wait", "done")],
)  # fmt: skip
SLEEPER = document(
    "sleeper",
    [
        {"key": "start", "type": "start"},
        {"key": "nap", "type": "timer", "config": {"duration": "3600"}},
        {"key": "done", "type": "end", "config": {"result": "'slept'"}},
    ],
    [("start", "nap"), ("nap", "done")],
)


def golden(name: str) -> dict:
    return json.loads((GOLDEN_DIR / "graphs" / f"{name}.json").read_text())


def test_signal_with_start_starts_the_target_once_then_signals_it(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden("signal_with_start"), COLLECTOR)
    target = str(uuid.uuid4())

    async def scenario():
        queue = f"sws-{uuid.uuid4()}"
        activities = [get_activity("signal_with_start").temporal_activity]
        async with Worker(
            temporal_env.client, task_queue=queue, workflows=list(workflows.values()), activities=activities
        ):
            for item in ("first", "second"):
                handle = await temporal_env.client.start_workflow(
                    "signal-with-start",
                    {"target": target, "item": item},
                    id=studio_id(f"sws-{uuid.uuid4()}", PREFIX),
                    task_queue=queue,
                )
                assert await handle.result() == item
            collector = temporal_env.client.get_workflow_handle(f"{PREFIX}collector-{target}")
            return await collector.result()

    assert run_async(scenario()) == {"received": ["first", "second"], "expected": 2}


def test_cancel_children_cancels_the_running_child_and_the_error_edge_runs(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden("cancel_children"), SLEEPER)
    name = str(uuid.uuid4())
    child_ids = []

    async def stop_when_the_child_runs(handle):
        child_ids.append(f"{prefix_of(handle.id)}sleeper-of-{name}")  # the child id is scoped to the parent's project
        child = temporal_env.client.get_workflow_handle(child_ids[0])
        for _ in range(200):
            with contextlib.suppress(RPCError):  # not started yet
                if (await child.describe()).status == WorkflowExecutionStatus.RUNNING:
                    break
            await asyncio.sleep(0.05)
        await handle.signal("emergencyStop")

    result, _, answers = run_async(
        run_workflow(
            temporal_env, workflows, [], "cancel-children", {"name": name},
            during=stop_when_the_child_runs, queries=["progress"],
        )
    )  # fmt: skip
    assert result == {"cancelled": True, "stopped": True}
    child = run_async(temporal_env.client.get_workflow_handle(child_ids[0]).describe())
    assert child.status == WorkflowExecutionStatus.CANCELED
    assert answers["progress"]["nodes"]["run-child"] == "failed"


def test_cron_trigger_compiles_like_manual_with_the_schedule_in_words():
    result = compile_graph(graph_from_document(golden("signal_with_start")))
    assert result.ok
    assert [(d.severity.value, d.message) for d in result.diagnostics] == [
        ("info", "Schedule '*/30 * * * *': Every 30 minutes (UTC)")
    ]


def test_expression_error_at_run_time_fails_the_workflow_instead_of_retrying_it(temporal_env, run_async, tmp_path):
    graph = document(
        "bad-lookup",
        [
            {"key": "start", "type": "start"},
            {"key": "done", "type": "end", "config": {"result": "input.settings.retries + 1"}},
        ],
        [("start", "done")],
    )
    workflows = load_documents(tmp_path, graph)
    with pytest.raises(WorkflowFailureError) as raised:
        run_async(
            asyncio.wait_for(run_workflow(temporal_env, workflows, [], "bad-lookup", {"settings": {}}), timeout=30)
        )
    cause = raised.value.cause
    assert isinstance(cause, ApplicationError)
    assert (cause.type, cause.message) == ("KeyError", "'retries'")


class FakeHandle:
    def __init__(self, id: str) -> None:
        self.id, self.cancelled = id, False

    def cancel(self) -> None:
        self.cancelled = True


def test_child_started_while_cancel_children_ran_is_cancelled_on_registration():
    async def scenario():
        children = Children()
        running = FakeHandle("running")
        children["running"] = running
        confirmed = asyncio.get_running_loop().create_future()
        starting = asyncio.ensure_future(children.start(confirmed))
        await asyncio.sleep(0)
        children.cancel_all()  # the signal handler runs before the start is confirmed
        late = FakeHandle("late")
        confirmed.set_result(late)
        assert await starting is late
        return running.cancelled, late.cancelled, sorted(children)

    assert asyncio.run(scenario()) == (True, True, ["late", "running"])
