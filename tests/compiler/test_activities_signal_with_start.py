"""signal_with_start on a real Temporal dev server, called from a workflow as generated code does."""

import uuid
from datetime import timedelta

import pytest
from temporalio import workflow
from temporalio.client import WorkflowFailureError
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, RetryState
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    from compiler.activities import signals  # noqa: F401  (registers signal_with_start)
    from compiler.activities.registry import get_activity

pytestmark = pytest.mark.temporal


@workflow.defn(name="test-orchestrator")
class Orchestrator:
    """Collects `newPackages` signals until it has as many as its input expects."""

    def __init__(self) -> None:
        self.received: list = []

    @workflow.signal(name="newPackages")
    def new_packages(self, packages: list) -> None:
        self.received.append(packages)

    @workflow.run
    async def run(self, input: dict) -> dict:
        await workflow.wait_condition(lambda: len(self.received) >= input["expect"])
        return {"input": input, "received": self.received}


@workflow.defn(name="test-poller")
class Poller:
    """Calls the activity by name with one dict of arguments, like compiled workflows."""

    @workflow.run
    async def run(self, arguments: dict) -> dict:
        return await workflow.execute_activity(
            "signal_with_start",
            arguments,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_attempts=0),
        )


async def _poll_twice_then_call_badly(env):
    queue = f"swt-{uuid.uuid4()}"
    orchestrator_id = f"orchestrator-{uuid.uuid4()}"
    activities = [get_activity("signal_with_start").temporal_activity]
    async with Worker(env.client, task_queue=queue, workflows=[Orchestrator, Poller], activities=activities):

        async def poll(packages):
            arguments = {
                "workflow_id": orchestrator_id,
                "workflow": "test-orchestrator",
                "signal": "newPackages",
                "payload": packages,
                "input": {"expect": 2},
            }
            return await env.client.execute_workflow(
                "test-poller", arguments, id=f"poller-{uuid.uuid4()}", task_queue=queue
            )

        first = await poll([{"name": "core", "priority": 1}])
        second = await poll([{"name": "api", "priority": 5}])
        orchestrator = await env.client.get_workflow_handle(orchestrator_id).result()
        with pytest.raises(WorkflowFailureError) as caught:
            await env.client.execute_workflow(
                "test-poller", {"workflow": "x"}, id=f"poller-{uuid.uuid4()}", task_queue=queue
            )
    return first, second, orchestrator, caught.value


def test_signal_with_start_starts_once_then_signals_the_running_workflow(temporal_env, run_async):
    first, second, orchestrator, failure = run_async(_poll_twice_then_call_badly(temporal_env))
    assert first["workflow_id"] == second["workflow_id"]
    assert first["run_id"] == second["run_id"]
    assert orchestrator == {
        "input": {"expect": 2},
        "received": [[{"name": "core", "priority": 1}], [{"name": "api", "priority": 5}]],
    }
    activity_error = failure.cause
    assert isinstance(activity_error, ActivityError)
    assert activity_error.retry_state == RetryState.NON_RETRYABLE_FAILURE
    assert isinstance(activity_error.cause, ApplicationError)
    assert activity_error.cause.type == "BadActivityArguments"
    assert "missing required argument(s) workflow_id, signal" in activity_error.cause.message
