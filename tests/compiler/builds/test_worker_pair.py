"""Two `run_worker` processes serve one project, as on two machines: one database, one Temporal, own code caches.

This is how a project outgrows one worker (docs/deploy.md): start another
`run_worker` anywhere that reaches the database and Temporal. The two
reconcile to the same state, so a deploy is promoted once, Temporal spreads
the runs over both, and when one dies the other finishes its work, each
step completing once.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass

import pytest
from temporalio.api.enums.v1 import PendingActivityState

from compiler.builds.deploy import deploy_project
from compiler.builds.loader import PACKAGE_PREFIX
from compiler.models import Deployment, DeploymentStatus
from tests.compiler.conftest import WorkerProcess
from tests.compiler.deploy_graphs import relay_document
from tests.factories import make_project, make_user, make_workflow_from_document

RUNS = 6
STEPS = ("step-1", "step-2", "step-3")
SECONDS = (1, 3, 1)
PROMOTED = "is current; new runs use it"


@dataclass
class Pair:
    project: object
    deployment: Deployment
    workers: dict[str, WorkerProcess]


def _wait(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {timeout} s"
        time.sleep(0.2)


@pytest.fixture
def pair(start_worker, settings, tmp_path) -> Pair:
    """A relay project deployed while no worker runs, then two workers started at once, each with its own cache."""
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    project = make_project(make_user(), name="Pair")
    make_workflow_from_document(project, relay_document(seconds=SECONDS))
    deployment = deploy_project(project, project.owner, activation_wait=0).deployment
    assert deployment.status == DeploymentStatus.PENDING  # nobody polls yet: a worker must promote it

    workers = {machine: start_worker(project.slug, cache=machine) for machine in ("machine-a", "machine-b")}
    for machine, worker in workers.items():
        worker.wait_for(f"serving {project.slug} build {deployment.build_id}", timeout=60)
        assert (tmp_path / machine / f"{PACKAGE_PREFIX}{deployment.build_id}").is_dir()
    _wait(
        lambda: Deployment.objects.get(pk=deployment.pk).status == DeploymentStatus.CURRENT,
        "neither worker promoted the build",
    )
    return Pair(project, Deployment.objects.get(pk=deployment.pk), workers)


def _start_runs(run_async, client, project) -> list:
    return [
        run_async(client.start_workflow("relay", {}, id=f"relay-{uuid.uuid4()}", task_queue=project.task_queue))
        for _ in range(RUNS)
    ]


def _completed_steps(history) -> list[tuple[str, int]]:
    """(activity id, pid of the worker that completed it) for every completed step of a run."""
    scheduled = {
        event.event_id: event.activity_task_scheduled_event_attributes.activity_id
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
    }
    return [
        (
            scheduled[event.activity_task_completed_event_attributes.scheduled_event_id],
            int(event.activity_task_completed_event_attributes.identity.split("@")[0]),
        )
        for event in history.events
        if event.HasField("activity_task_completed_event_attributes")
    ]


def _expected_result() -> list[dict]:
    return [{"slept": seconds} for seconds in SECONDS]


@pytest.mark.django_db
def test_a_build_read_by_two_workers_is_promoted_by_one():
    project = make_project(make_user(), name="Pair")
    current = Deployment.objects.create(project=project, build_id="a" * 12, sources={}, status=DeploymentStatus.CURRENT)
    newest = Deployment.objects.create(project=project, build_id="b" * 12, sources={}, status=DeploymentStatus.PENDING)
    in_other_worker = Deployment.objects.get(pk=newest.pk)  # read while still pending, as a second worker does
    assert newest.promote()
    promoted_at = Deployment.objects.get(pk=newest.pk).status_changed
    assert not in_other_worker.promote()
    assert dict(Deployment.objects.values_list("build_id", "status")) == {
        current.build_id: DeploymentStatus.DRAINING,
        newest.build_id: DeploymentStatus.CURRENT,
    }
    assert Deployment.objects.get(pk=newest.pk).status_changed == promoted_at


def test_two_workers_promote_a_deploy_once_and_share_the_runs(pair, temporal_env, run_async):
    promoted_at = pair.deployment.status_changed
    time.sleep(3)  # six more reconcile passes of each worker: none may promote the build again
    promotions = [line for worker in pair.workers.values() for line in worker.lines if PROMOTED in line]
    assert promotions == [f"worker: {pair.project.slug} build {pair.deployment.build_id} {PROMOTED}"], "\n\n".join(
        worker.output for worker in pair.workers.values()
    )
    assert Deployment.objects.get(pk=pair.deployment.pk).status_changed == promoted_at

    handles = _start_runs(run_async, temporal_env.client, pair.project)
    assert [run_async(handle.result(), timeout=120) for handle in handles] == [_expected_result()] * RUNS
    steps = [step for handle in handles for step in _completed_steps(run_async(handle.fetch_history()))]
    assert Counter(step for step, _ in steps) == dict.fromkeys(STEPS, RUNS)
    assert {pid for _, pid in steps} == {worker.process.pid for worker in pair.workers.values()}


def _workers_running_a_step(run_async, handles) -> set[int]:
    """Pids of the workers that have a step of these runs in flight now."""
    pids = set()
    for handle in handles:
        for pending in run_async(handle.describe()).raw_description.pending_activities:
            if pending.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED:
                pids.add(int(pending.last_worker_identity.split("@")[0]))
    return pids


def test_killing_one_of_two_workers_mid_run_loses_nothing_and_runs_no_step_twice(pair, temporal_env, run_async):
    victim, survivor = pair.workers["machine-a"], pair.workers["machine-b"]
    handles = _start_runs(run_async, temporal_env.client, pair.project)
    _wait(
        lambda: victim.process.pid in _workers_running_a_step(run_async, handles),
        "machine-a never ran a step",
    )
    victim.kill()

    assert [run_async(handle.result(), timeout=120) for handle in handles] == [_expected_result()] * RUNS
    histories = [run_async(handle.fetch_history()) for handle in handles]
    for history in histories:
        assert Counter(step for step, _ in _completed_steps(history)) == dict.fromkeys(STEPS, 1)
    retried = [
        event.activity_task_started_event_attributes
        for history in histories
        for event in history.events
        if event.HasField("activity_task_started_event_attributes")
        and event.activity_task_started_event_attributes.attempt > 1
    ]
    assert retried, "no step was in flight on the killed worker"
    assert {int(started.identity.split("@")[0]) for started in retried} == {survivor.process.pid}
