"""Loops on a real Temporal dev server: waiting for signals, continue-as-new carrying state.

The graph (tests/golden/graphs/loop.json) waits until signals added entries
that Process has not handled, processes them, and continues as new every two
iterations, carrying the input and the state (the `entries` list and the
`handled` result) in the input entry "__state__". The session's dev server
suggests continue-as-new after 40 history events (tests/conftest.py), which
the variant that only honours the suggestion relies on.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field

import pytest
from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.worker import Worker

from compiler.pipeline import compile_graph
from compiler.runtime.loop import restore_state
from tests.compiler.documents import GOLDEN_DIR, graph_from_document
from tests.compiler.execution import load_documents

pytestmark = pytest.mark.temporal


@activity.defn(name="process_items")
async def process_items(arguments: dict) -> int:
    """Everything up to the current length of the list is handled."""
    return len(arguments["entries"])


def loop_document(**loop_config) -> dict:
    document = json.loads((GOLDEN_DIR / "graphs" / "loop.json").read_text())
    next(n for n in document["nodes"] if n["key"] == "main-loop")["config"].update(loop_config)
    return document


async def until_handled(handle: WorkflowHandle, count: int) -> dict:
    """Poll the `state` query until `handled` reaches `count` (the latest run answers)."""
    for _ in range(200):
        state = await handle.query("state")
        if state["handled"] >= count:
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"handled never reached {count}: {state}")


def continued_as_new_inputs(history) -> list[dict]:
    return [
        json.loads(event.workflow_execution_continued_as_new_event_attributes.input.payloads[0].data)
        for event in history.events
        if event.HasField("workflow_execution_continued_as_new_event_attributes")
    ]


async def scenario(env, workflows, signals: list[str], *, before=None):
    """Start the loop, add each entry and wait until it is handled, stop; (result, first run, latest run)."""
    queue = f"loop-{uuid.uuid4()}"
    workflow_id = f"loop-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=list(workflows.values()), activities=[process_items]):
        started = await env.client.start_workflow("loop", {"label": "x"}, id=workflow_id, task_queue=queue)
        latest = env.client.get_workflow_handle(workflow_id)
        if before is not None:
            await before(latest)
        for count, entry in enumerate(signals, start=1):
            await latest.signal("add", entry)
            await until_handled(latest, count)
        await latest.signal("stop")
        result = await latest.result()
        first = env.client.get_workflow_handle(workflow_id, run_id=started.result_run_id)
        return result, await first.fetch_history(), (await latest.describe()).run_id, started.result_run_id


def test_loop_waits_for_signals_and_continues_as_new_with_its_state(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, loop_document())
    seen = {}

    async def before(handle):
        seen["state"] = await handle.query("state")
        seen["progress"] = await handle.query("progress")

    result, first_history, latest_run, first_run = run_async(
        scenario(temporal_env, workflows, ["a", "b", "c"], before=before)
    )

    assert seen["state"] == {"entries": [], "handled": 0}  # waiting: nothing to process yet
    assert seen["progress"]["nodes"] == {"main-loop": "running", "process": "pending"}
    assert result == {"entries": ["a", "b", "c"], "handled": 3}
    assert latest_run != first_run
    carried = continued_as_new_inputs(first_history)
    assert len(carried) == 1  # after two iterations
    assert carried[0]["label"] == "x"
    assert carried[0]["__state__"] == {"entries": ["a", "b"], "stopping": False, "handled": 2}


def test_loop_continues_as_new_when_the_server_suggests_it(temporal_env, run_async, tmp_path):
    document = loop_document(
        continue_as_new_suggested=True, continue_as_new_iterations=None, continue_as_new_seconds=None
    )
    workflows = load_documents(tmp_path, document)
    entries = [f"e{i}" for i in range(10)]

    result, first_history, latest_run, first_run = run_async(scenario(temporal_env, workflows, entries))

    assert result == {"entries": entries, "handled": len(entries)}
    assert latest_run != first_run
    carried = continued_as_new_inputs(first_history)
    assert len(carried) == 1
    assert 0 < carried[0]["__state__"]["handled"] < len(entries)
    assert len(first_history.events) < 80  # it stopped soon after the suggestion at 40 events


def test_restore_state_keeps_known_fields_and_initial_values_for_new_ones():
    @dataclass
    class State:
        queue: list = field(default_factory=list)
        added_later: int = 7

    assert restore_state(State, None) == State()
    assert restore_state(State, {"queue": ["a"], "dropped_since": True}) == State(queue=["a"], added_later=7)


def test_empty_loop_without_wait_for_is_refused():
    document = {
        "identifier": "spin",
        "nodes": [{"key": "start", "type": "start"}, {"key": "forever", "type": "loop"}],
        "edges": [{"source": "start", "target": "forever"}],
    }
    result = compile_graph(graph_from_document(document))
    assert result.source is None
    assert "forever [wait_for]: Loop 'forever' is empty and has no wait_for: it would spin" in " ".join(
        d.line() for d in result.diagnostics
    )


def test_a_wait_for_that_is_the_end_of_the_loop_is_not_repeated_in_the_wait():
    """while `not stopping`, wait for `stopping`: the wait is `lambda: self.state.stopping`, not `x or x`."""
    source = compile_graph(graph_from_document(loop_document(wait_for="stopping"))).source
    assert "workflow.wait_condition(lambda: self.state.stopping)" in source
    assert "stopping or " not in source
    other = compile_graph(graph_from_document(loop_document(wait_for="len(entries) > 0"))).source
    assert "lambda: len(self.state.entries) > 0 or self.state.stopping" in other
