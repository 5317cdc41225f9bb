"""The replay check replays running executions against new code and names the ones that would break."""

import asyncio
import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.worker import Worker

from compiler.builds.replay import replay_check, running_query


@workflow.defn(name="replay-gate")
class GateV1:
    def __init__(self) -> None:
        self.released = False

    @workflow.run
    async def run(self) -> str:
        await workflow.sleep(timedelta(milliseconds=100))
        await workflow.wait_condition(lambda: self.released)
        return "v1"

    @workflow.signal(name="release")
    def release(self) -> None:
        self.released = True


@workflow.defn(name="replay-gate")
class GateV1Relabelled(GateV1):
    """Same commands as v1, different result: safe for running executions."""

    @workflow.run
    async def run(self) -> str:
        await workflow.sleep(timedelta(milliseconds=100))
        await workflow.wait_condition(lambda: self.released)
        return "v1, relabelled"


@workflow.defn(name="replay-gate")
class GateWithoutWarmUp(GateV1):
    """Drops the timer that running executions already recorded: not deterministic for them."""

    @workflow.run
    async def run(self) -> str:
        await workflow.wait_condition(lambda: self.released)
        return "v2"


async def _waiting_execution(client, queue: str):
    """A v1 execution that has fired its timer and now waits for the release signal."""
    handle = await client.start_workflow("replay-gate", id=f"gate-{uuid.uuid4()}", task_queue=queue)
    for _ in range(100):
        history = await handle.fetch_history()
        fired = any(e.HasField("timer_fired_event_attributes") for e in history.events)
        visible = (await client.count_workflows(running_query("replay-gate", queue))).count
        if fired and visible:
            return handle
        await asyncio.sleep(0.1)
    raise AssertionError("the execution never reached its wait")


async def _check_against(client, new_class):
    queue = f"replay-{uuid.uuid4()}"
    async with Worker(client, task_queue=queue, workflows=[GateV1]):
        handle = await _waiting_execution(client, queue)
        report = await replay_check(
            client, task_queue=queue, workflows={"replay-gate": new_class}, changed=["replay-gate"]
        )
        await handle.signal("release")
        assert await handle.result() == "v1"
    return report, handle


def test_dropping_a_recorded_step_is_reported_for_the_running_execution(temporal_env, run_async):
    report, handle = run_async(_check_against(temporal_env.client, GateWithoutWarmUp))
    assert report.checked == {"replay-gate": 1}
    assert not report.ok
    [broken] = report.incompatible
    assert (broken["workflow"], broken["workflow_id"], broken["run_id"]) == (
        "replay-gate",
        handle.id,
        handle.result_run_id,
    )
    assert "nondetermin" in broken["error"].lower(), broken["error"]


def test_changing_only_the_result_replays_cleanly(temporal_env, run_async):
    report, _ = run_async(_check_against(temporal_env.client, GateV1Relabelled))
    assert report.checked == {"replay-gate": 1}
    assert report.ok


def test_workflows_without_running_executions_are_checked_quickly(temporal_env, run_async):
    report = run_async(
        replay_check(
            temporal_env.client,
            task_queue=f"empty-{uuid.uuid4()}",
            workflows={"replay-gate": GateV1},
            changed=["replay-gate"],
        )
    )
    assert report.checked == {"replay-gate": 0}
    assert report.ok and report.lines() == ["replay check: replay-gate: 0 running execution(s) replayed"]
