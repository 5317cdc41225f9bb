"""The Temporal fixtures start real servers and run a hand-written workflow on each."""

import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.worker import Worker


@activity.defn(name="greet")
async def greet(name: str) -> str:
    return f"Hello, {name}!"


@workflow.defn(name="smoke")
class SmokeWorkflow:
    @workflow.run
    async def run(self, name: str, sleep_seconds: float) -> str:
        if sleep_seconds:
            await workflow.sleep(timedelta(seconds=sleep_seconds))
        return await workflow.execute_activity("greet", name, start_to_close_timeout=timedelta(seconds=10))


async def _run_smoke(env, sleep_seconds: float):
    queue = f"smoke-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=[SmokeWorkflow], activities=[greet]):
        handle = await env.client.start_workflow(
            "smoke", args=["Temporal", sleep_seconds], id=f"smoke-{uuid.uuid4()}", task_queue=queue
        )
        return await handle.result(), await handle.fetch_history()


def test_time_skipping_server_runs_a_workflow_past_a_one_hour_timer(time_skipping_env, run_async):
    result, history = run_async(_run_smoke(time_skipping_env, 3600))
    assert result == "Hello, Temporal!"
    timers = [e for e in history.events if e.HasField("timer_started_event_attributes")]
    assert [t.timer_started_event_attributes.start_to_fire_timeout.seconds for t in timers] == [3600]


def test_dev_server_runs_an_activity(temporal_env, run_async):
    result, history = run_async(_run_smoke(temporal_env, 0))
    assert result == "Hello, Temporal!"
    scheduled = [e for e in history.events if e.HasField("activity_task_scheduled_event_attributes")]
    assert [e.activity_task_scheduled_event_attributes.activity_type.name for e in scheduled] == ["greet"]
