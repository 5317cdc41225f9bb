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
    from compiler.runtime.project_ids import project_prefix
    from tests.compiler.execution import studio_id

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


PREFIX = project_prefix(uuid.uuid4().hex)
ACTIVITIES = [get_activity("signal_with_start").temporal_activity]


def _arguments(orchestrator_id: str, packages: list, **extra) -> dict:
    return {
        "workflow_id": orchestrator_id,
        "workflow": "test-orchestrator",
        "signal": "newPackages",
        "payload": packages,
        "input": {"expect": 2},
        **extra,
    }


async def _poll(env, queue: str, arguments: dict, poller_id: str | None = None):
    return await env.client.execute_workflow(
        "test-poller", arguments, id=poller_id or studio_id(f"poller-{uuid.uuid4()}", PREFIX), task_queue=queue
    )


async def _poll_twice_then_call_badly(env):
    queue = f"swt-{uuid.uuid4()}"
    orchestrator_id = f"orchestrator-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=[Orchestrator, Poller], activities=ACTIVITIES):
        first = await _poll(env, queue, _arguments(orchestrator_id, [{"name": "core", "priority": 1}]))
        second = await _poll(env, queue, _arguments(orchestrator_id, [{"name": "api", "priority": 5}]))
        orchestrator = await env.client.get_workflow_handle(f"{PREFIX}{orchestrator_id}").result()
        with pytest.raises(WorkflowFailureError) as caught:
            await _poll(env, queue, {"workflow": "x"})
    return orchestrator_id, first, second, orchestrator, caught.value


def test_signal_with_start_starts_once_then_signals_the_running_workflow(temporal_env, run_async):
    orchestrator_id, first, second, orchestrator, failure = run_async(_poll_twice_then_call_badly(temporal_env))
    assert first["workflow_id"] == f"{PREFIX}{orchestrator_id}"  # the caller's project prefix
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


def _refusal(failure: WorkflowFailureError) -> ApplicationError:
    activity_error = failure.cause
    assert isinstance(activity_error, ActivityError)
    assert activity_error.retry_state == RetryState.NON_RETRYABLE_FAILURE
    assert isinstance(activity_error.cause, ApplicationError)
    return activity_error.cause


async def _refused_and_scoped(env):
    queue, other_queue = f"swt-{uuid.uuid4()}", f"swt-other-{uuid.uuid4()}"
    orchestrator_id = f"orchestrator-{uuid.uuid4()}"
    other_prefix = project_prefix(uuid.uuid4().hex)
    refusals = []
    async with Worker(env.client, task_queue=queue, workflows=[Orchestrator, Poller], activities=ACTIVITIES):
        for arguments, poller_id in (
            (_arguments(orchestrator_id, ["x"], task_queue=other_queue), None),
            (_arguments(orchestrator_id, ["x"]), f"unprefixed-poller-{uuid.uuid4()}"),
        ):
            with pytest.raises(WorkflowFailureError) as caught:
                await _poll(env, queue, arguments, poller_id)
            refusals.append(_refusal(caught.value))
        # Another project's full id: the target lands in this caller's project, never in the other one.
        started = await _poll(env, queue, _arguments(f"{other_prefix}{orchestrator_id}", ["x"]))
    return refusals, started["workflow_id"], f"{PREFIX}{other_prefix}{orchestrator_id}"


def test_signal_with_start_stays_in_the_callers_project(temporal_env, run_async):
    (other_queue, unprefixed), started, expected = run_async(_refused_and_scoped(temporal_env))
    assert other_queue.type == "TaskQueueOutsideProject"
    assert "only start workflows on its own project's task queue" in other_queue.message
    assert unprefixed.type == "WorkflowOutsideProject"
    assert started == expected
