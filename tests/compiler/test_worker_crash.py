"""A worker killed mid-run (SIGKILL, no graceful shutdown) loses nothing: a new worker finishes the run."""

import time
import uuid
from collections import Counter

from temporalio.api.enums.v1 import PendingActivityState

from compiler.deploy import deploy_project
from compiler.models import DeploymentStatus
from tests.compiler.deploy_graphs import relay_document
from tests.factories import make_project, make_user, make_workflow_from_document


def _wait_until_running(run_async, handle, activity_id: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        description = run_async(handle.describe())
        started = [
            pending.activity_id
            for pending in description.raw_description.pending_activities
            if pending.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        ]
        if activity_id in started:
            return
        time.sleep(0.2)
    raise AssertionError(f"activity {activity_id} never started")


def test_a_killed_worker_is_replaced_and_the_run_completes_each_step_once(
    start_worker, settings, temporal_env, run_async
):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    client = temporal_env.client
    project = make_project(make_user(), name="Relay")
    make_workflow_from_document(project, relay_document())
    worker = start_worker(project.slug)
    deployed = deploy_project(project, project.owner, activation_wait=20)
    assert deployed.deployment.status == DeploymentStatus.CURRENT, deployed.message

    handle = run_async(client.start_workflow("relay", {}, id=f"relay-{uuid.uuid4()}", task_queue=project.task_queue))
    _wait_until_running(run_async, handle, "step-2")
    worker.kill()

    replacement = start_worker(project.slug)
    replacement.wait_for(f"serving {project.slug} build {deployed.deployment.build_id}")
    assert run_async(handle.result(), timeout=120) == [{"slept": 1}, {"slept": 4}, {"slept": 1}]

    history = run_async(handle.fetch_history())
    scheduled = {
        event.event_id: event.activity_task_scheduled_event_attributes.activity_id
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
    }
    completed = Counter(
        scheduled[event.activity_task_completed_event_attributes.scheduled_event_id]
        for event in history.events
        if event.HasField("activity_task_completed_event_attributes")
    )
    assert completed == {"step-1": 1, "step-2": 1, "step-3": 1}
    step_2_attempts = [
        event.activity_task_started_event_attributes.attempt
        for event in history.events
        if event.HasField("activity_task_started_event_attributes")
        and scheduled[event.activity_task_started_event_attributes.scheduled_event_id] == "step-2"
    ]
    assert step_2_attempts == [2], "step-2 ran again on the new worker after the old one died"
