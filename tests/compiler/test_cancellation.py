"""Cancelling a run ends it cancelled, even while a step with an error edge runs.

The cancelled activity reaches the workflow as a FailureError; the error
edge's handler must let it go on (compiler/runtime/failures.py) instead of
running the error path, which would end the run failed or completed.
"""

from __future__ import annotations

import asyncio

import pytest
from temporalio import activity
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.exceptions import CancelledError

from tests.compiler.execution import activity_ids, document, load_documents, run_workflow

pytestmark = pytest.mark.temporal

STARTED: list[str] = []
RECOVERED: list[str] = []

GUARDED = document(
    "guarded-wait",
    [
        {"key": "start", "type": "start"},
        {"key": "work", "type": "activity", "config": {
            "activity": "wait_for_cancel", "args": {}, "heartbeat_timeout": 2.0, "start_to_close_timeout": 60.0,
            "retry": {"max_attempts": 1}}},
        {"key": "recover", "type": "activity", "config": {"activity": "recover", "args": {}}},
        {"key": "failed", "type": "end", "config": {"result": "'recovered'"}},
        {"key": "done", "type": "end", "config": {"result": "'done'"}},
    ],
    [("start", "work"), ("work", "done"), ("work", "recover", "error"), ("recover", "failed")],
)  # fmt: skip


@activity.defn(name="wait_for_cancel")
async def wait_for_cancel(arguments: dict) -> None:
    """Heartbeats until cancelled: the heartbeat is how the worker hears of the cancellation."""
    STARTED.append(activity.info().workflow_id)
    while True:
        activity.heartbeat()
        await asyncio.sleep(0.1)


@activity.defn(name="recover")
async def recover(arguments: dict) -> None:
    RECOVERED.append(activity.info().workflow_id)


def test_cancelling_during_a_guarded_activity_ends_cancelled_without_the_error_path(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, GUARDED)
    handles = []

    async def cancel_once_the_activity_runs(handle):
        handles.append(handle)
        for _ in range(200):
            if handle.id in STARTED:
                break
            await asyncio.sleep(0.05)
        assert handle.id in STARTED, "the activity never started"
        await handle.cancel()

    with pytest.raises(WorkflowFailureError) as raised:
        run_async(
            run_workflow(
                temporal_env, workflows, [wait_for_cancel, recover], "guarded-wait",
                during=cancel_once_the_activity_runs,
            )
        )  # fmt: skip
    assert isinstance(raised.value.cause, CancelledError)
    handle = handles[0]
    assert run_async(handle.describe()).status == WorkflowExecutionStatus.CANCELED
    history = run_async(handle.fetch_history())
    assert activity_ids(history) == ["work"], "the error path's activity was never scheduled"
    assert handle.id not in RECOVERED
