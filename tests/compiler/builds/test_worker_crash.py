"""A worker killed mid-run (SIGKILL, no graceful shutdown) loses nothing: a new worker finishes the run.

A lost worker is not a failure of the work: the step it ran times out on
its heartbeat within seconds and runs again, and a retry block spends no
attempt and runs no remediation on it.
"""

import io
import time
import uuid
from collections import Counter

from django.core.management import call_command
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import WorkflowExecutionStatus

from compiler.builds.deploy import deploy_project
from compiler.models import DeploymentStatus
from compiler.runtime.project_ids import project_prefix
from examples.package_management.sample import SAMPLE_DIR
from projects.models import Project
from tests.compiler.conftest import BUILTIN_ACTIVITIES
from tests.compiler.deploy_graphs import relay_document
from tests.examples.seeded import project_workspace
from tests.factories import make_project, make_user, make_workflow_from_document

PACKAGE_ACTIVITIES = [BUILTIN_ACTIVITIES, "examples.package_management.activities"]
CRASH_ACTIVITIES = f"{BUILTIN_ACTIVITIES},tests.compiler.crash_activities"


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


def _children(run_async, client, prefix: str, build: str) -> list[tuple[str, WorkflowExecutionStatus]]:
    async def listed():
        query = f'WorkflowType="package-build" AND WorkflowId STARTS_WITH "{prefix}build-{build}-"'
        return [(execution.id, execution.status) async for execution in client.list_workflows(query)]

    return run_async(listed())


def test_package_builder_finishes_after_its_worker_is_killed_and_builds_each_package_once(
    start_worker, settings, temporal_env, run_async, tmp_path
):
    settings.WORKFLOW_ACTIVITY_MODULES = PACKAGE_ACTIVITIES
    call_command("seed_package_management", stdout=io.StringIO())
    project = Project.objects.get(slug="package-management")
    client = temporal_env.client
    worker = start_worker(project.slug, activity_modules=",".join(PACKAGE_ACTIVITIES))
    deployed = deploy_project(project, project.owner, activation_wait=30)
    assert deployed.deployment.status == DeploymentStatus.CURRENT, deployed.message

    build = f"crash{uuid.uuid4().hex[:6]}"
    prefix = project_prefix(project.uuid.hex)  # runs carry their project's prefix, and so do their children
    handle = run_async(
        client.start_workflow(
            "package-builder",
            {
                "build_id": build,
                "workspace_root": str(project_workspace(tmp_path)),
                "config": {"max_concurrent_builds": 2, "build_delay_seconds": 0.2},
            },
            id=f"{prefix}package-builder-{build}",
            task_queue=project.task_queue,
        )
    )
    deadline = time.monotonic() + 60
    while True:
        statuses = [status for _, status in _children(run_async, client, prefix, build)]
        if WorkflowExecutionStatus.COMPLETED in statuses and WorkflowExecutionStatus.RUNNING in statuses:
            break
        assert time.monotonic() < deadline, f"no package build finished while others ran: {statuses}"
        time.sleep(0.2)
    worker.kill()

    start_worker(project.slug, activity_modules=",".join(PACKAGE_ACTIVITIES))
    report = run_async(handle.result(), timeout=240)

    packages = sorted(path.name for path in (SAMPLE_DIR / "packages").iterdir())
    assert sorted(report["packages"]) == packages
    assert report["success"] and report["totals"]["packages"] == len(packages)
    built = [name for name, status in report["packages"].items() if status == "completed"]
    children = _children(run_async, client, prefix, build)
    assert sorted(workflow_id for workflow_id, _ in children) == sorted(
        f"{prefix}build-{build}-{name}" for name in built
    )
    assert {status for _, status in children} == {WorkflowExecutionStatus.COMPLETED}


def _guarded_build_document(directory: str) -> dict:
    """start -> retry block (3 attempts; body: a slow single-attempt build; remediation: a fix) -> end.

    The build's 2 s heartbeat timeout is shorter than the build (4 s): it
    only completes because the registry heartbeats for it.
    """
    where = repr(directory)
    return {
        "format": "workflow-studio/v1",
        "identifier": "guarded-build",
        "name": "Guarded build",
        "description": "",
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": {"trigger": "manual"}},
            {
                "key": "build-retry",
                "type": "retry_block",
                "label": "Build with retries",
                "config": {"max_attempts": 3, "backoff": "none", "on_exhausted": "fail"},
            },
            {
                "key": "build",
                "type": "activity",
                "label": "Build",
                "parent": "build-retry",
                "config": {
                    "activity": "crash_build",
                    "args": {"directory": where, "seconds": "4", "attempt": "attempt"},
                    "result_var": "built",
                    "retry": {"max_attempts": 1},
                    "heartbeat_timeout": 2.0,
                },
            },
            {
                "key": "fix",
                "type": "activity",
                "label": "Fix",
                "parent": "build-retry",
                "slot": "remediation",
                "config": {"activity": "crash_fix", "args": {"directory": where}},
            },
            {"key": "done", "type": "end", "label": "Done", "config": {"result": "built"}},
        ],
        "edges": [
            {"source": "start", "target": "build-retry", "kind": "next"},
            {"source": "build-retry", "target": "done", "kind": "next"},
        ],
    }


def _activity_events(history) -> list[tuple[str, str]]:
    """(activity type, what happened) for every scheduled, completed, failed or timed out activity."""
    types = {}
    events = []
    for event in history.events:
        if event.HasField("activity_task_scheduled_event_attributes"):
            types[event.event_id] = event.activity_task_scheduled_event_attributes.activity_type.name
            events.append((types[event.event_id], "scheduled"))
        for field, outcome in (
            ("activity_task_completed_event_attributes", "completed"),
            ("activity_task_failed_event_attributes", "failed"),
            ("activity_task_timed_out_event_attributes", "timed out"),
        ):
            if event.HasField(field):
                events.append((types[getattr(event, field).scheduled_event_id], outcome))
    return events


def test_a_killed_worker_spends_no_retry_block_attempt_and_runs_no_remediation(
    start_worker, settings, temporal_env, run_async, tmp_path
):
    settings.WORKFLOW_ACTIVITY_MODULES = CRASH_ACTIVITIES.split(",")
    client = temporal_env.client
    project = make_project(make_user(), name="Guarded")
    make_workflow_from_document(project, _guarded_build_document(str(tmp_path)))
    worker = start_worker(project.slug, activity_modules=CRASH_ACTIVITIES)
    deployed = deploy_project(project, project.owner, activation_wait=20)
    assert deployed.deployment.status == DeploymentStatus.CURRENT, deployed.message

    began = time.monotonic()
    handle = run_async(
        client.start_workflow("guarded-build", {}, id=f"guarded-{uuid.uuid4()}", task_queue=project.task_queue)
    )
    build_log = tmp_path / "build.log"
    while not build_log.exists():
        assert time.monotonic() - began < 30, f"the build never started; worker output:\n{worker.output}"
        time.sleep(0.1)
    worker.kill()

    start_worker(project.slug, activity_modules=CRASH_ACTIVITIES)
    assert run_async(handle.result(), timeout=60) == {"attempt": 1}
    assert time.monotonic() - began < 60

    assert build_log.read_text().split("\n") == ["start 1", "start 1", "built 1", ""]
    assert not (tmp_path / "fix.log").exists()
    assert _activity_events(run_async(handle.fetch_history())) == [
        ("crash_build", "scheduled"),
        ("crash_build", "timed out"),
        ("crash_build", "scheduled"),
        ("crash_build", "completed"),
    ]
    progress = run_async(handle.query("progress"))
    assert progress["nodes"]["build-retry"] == "completed"
    assert "build-retry" not in progress["attempts"]  # the block never reported a retry
