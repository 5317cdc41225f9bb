"""Worker Versioning end to end: a real `run_worker` process, two deploys, runs pinned to their build."""

import time
import uuid

from django.core.management import call_command
from temporalio.client import WorkflowExecutionStatus

from compiler import temporal
from compiler.builds.deploy import deploy_project
from compiler.builds.versioning import polling_builds, version_string
from compiler.models import Deployment, DeploymentStatus
from compiler.runs.control import run_id_in, signal_run
from tests.compiler.deploy_graphs import released_gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.services import graph_replace


def _start(run_async, client, project):
    gate_id = run_id_in(project, f"gate-{uuid.uuid4()}")  # as the studio starts runs, so the runs API finds it
    return run_async(client.start_workflow("gate", {}, id=gate_id, task_queue=project.task_queue))


def _wait_for_warm_up(run_async, handle) -> None:
    """Until the run recorded its warm-up timer, which v2 no longer has."""

    async def fired() -> bool:
        history = await handle.fetch_history()
        return sum(e.HasField("timer_fired_event_attributes") for e in history.events) >= 1

    deadline = time.monotonic() + 20
    while not run_async(fired()):
        assert time.monotonic() < deadline, "the v1 run never fired its warm-up timer"
        time.sleep(0.2)


def _wait_until_polled(project, build_ids: set[str], worker) -> None:
    """Until the task queue lists pollers of every build (Temporal reports the pollers it saw recently)."""
    deadline = time.monotonic() + 15
    while not build_ids <= set(polling := temporal.call(lambda client: polling_builds(client, project))):
        missing = sorted(build_ids - set(polling))
        assert time.monotonic() < deadline, f"no poller of build(s) {missing}; worker said:\n{worker.output}"
        time.sleep(0.5)


def _pinned_version(run_async, handle) -> str:
    description = run_async(handle.describe())
    return description.raw_description.workflow_execution_info.versioning_info.deployment_version.build_id


def test_a_running_execution_finishes_on_its_build_while_new_runs_use_the_new_one(
    start_worker, settings, temporal_env, run_async, capsys
):
    """A v1 run waits for a signal; v2 drops v1's warm-up timer; released, it finishes on v1; a new run uses v2."""
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    client = temporal_env.client
    project = make_project(make_user(), name="Gates")
    workflow = make_workflow_from_document(project, released_gate_document(result="v1"))
    worker = start_worker(project.slug)

    v1 = deploy_project(project, project.owner, activation_wait=20)
    assert v1.ok, v1.message
    assert v1.deployment.status == DeploymentStatus.CURRENT, worker.output
    worker.wait_for(f"serving {project.slug} build {v1.deployment.build_id}")
    old_run = _start(run_async, client, project)
    _wait_for_warm_up(run_async, old_run)

    graph_replace(
        workflow=workflow,
        user=project.owner,
        expected_version=None,
        document=released_gate_document(result="v2", warm_up=False),
        message="v2: no warm-up",
    )
    call_command("deploy", project.slug, "--wait", "20")
    printed = capsys.readouterr().out
    v2 = Deployment.objects.get(project=project, status=DeploymentStatus.CURRENT)
    assert v2.build_id != v1.deployment.build_id
    workflow.refresh_from_db()
    assert f"build {v2.build_id}\n  gate: revision {workflow.version} (changed)\n" in printed
    assert f"would not replay: gate {old_run.id}" in printed
    assert v2.replay_report["incompatible"][0]["run_id"] == old_run.result_run_id
    assert f"Deployed build {v2.build_id}; it is current" in printed

    _wait_until_polled(project, {v1.deployment.build_id, v2.build_id}, worker)

    assert run_async(old_run.describe()).status == WorkflowExecutionStatus.RUNNING, "the v1 run did not wait"
    signal_run(project, old_run.id, "release", None)
    assert run_async(old_run.result()) == "v1"
    new_run = _start(run_async, client, project)
    signal_run(project, new_run.id, "release", None)
    assert run_async(new_run.result()) == "v2"
    assert _pinned_version(run_async, old_run) == v1.deployment.build_id
    assert _pinned_version(run_async, new_run) == v2.build_id

    worker.wait_for(f"{project.slug} build {v1.deployment.build_id} drained", timeout=60)
    v1.deployment.refresh_from_db()
    assert v1.deployment.status == DeploymentStatus.RETIRED
    assert (
        run_async(
            client.count_workflows(f'TemporalWorkerDeploymentVersion="{version_string(project, v2.build_id)}"')
        ).count
        == 1
    )

    assert worker.stop() == 0
    assert "worker: stopped cleanly" in worker.output
