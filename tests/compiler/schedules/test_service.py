"""Cron triggers become Temporal Schedules on deploy (a real dev server and `run_worker`)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from compiler import temporal
from compiler.builds.deploy import deploy_project
from compiler.runs.control import list_runs, run_id_in
from compiler.schedules.service import (
    ScheduleNotFound,
    list_schedules,
    pause_schedule,
    schedule_id_for,
    sync_schedules,
    trigger_schedule,
)
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import GREETER_ACTIVITIES, wait_until
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.models import Workflow
from workflows.services import graph_replace


def _run_ids(project) -> set[str]:
    return {run.workflow_id for run in list_runs(project, "greeter")}


def _listed(project) -> list:
    """The project's schedules once the list shows one (Temporal lists a new schedule eventually)."""
    return wait_until(lambda: list_schedules(project), timeout=10)


def _terminate_all(project) -> None:
    async def terminate(client):
        query = f'TaskQueue="{project.task_queue}" AND ExecutionStatus="Running"'
        async for execution in client.list_workflows(query):
            await client.get_workflow_handle(execution.id, run_id=execution.run_id).terminate("test over")

    temporal.call(terminate)


def test_deploy_creates_a_schedule_that_starts_runs_pauses_and_is_deleted_with_its_trigger(start_worker, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    settings.SCHEDULES_PAUSED_ON_CREATE = False
    project = make_project(make_user(), name="Cron Greetings")
    # Greeter runs wait for a signal: allow_all lets the schedule start one per tick anyway.
    workflow = make_workflow_from_document(project, greeter_document(cron="*/30 * * * *", overlap="allow_all"))
    start_worker(project.slug)

    result = deploy_project(project, project.owner, activation_wait=20)
    schedule_id = schedule_id_for(project, "greeter")
    assert result.schedules == [f"schedule created: {schedule_id}"]
    [view] = _listed(project)
    assert (view.schedule_id, view.workflow, view.timezone) == (schedule_id, "greeter", "UTC")
    assert view.cron == "*/30 * * * *"
    assert view.description == "Every 30 minutes"
    assert not view.paused and len(view.next_runs) == 3
    assert {t.minute for t in view.next_runs} <= {0, 30}
    assert (view.last_run, view.last_workflow_id) == (None, "")

    # Every second instead of every 30 minutes, so runs start while the test watches.
    report = sync_schedules(project, result.deployment, interval=timedelta(seconds=1))
    assert report.updated == [schedule_id]
    started = wait_until(lambda: len(_run_ids(project)) >= 2, timeout=30)
    assert started, "the schedule started no runs"
    assert all(run_id.startswith(run_id_in(project, "greeter-")) for run_id in _run_ids(project))

    [ran] = list_schedules(project)
    assert ran.last_run is not None and ran.last_workflow_id.startswith(run_id_in(project, "greeter-"))
    pause_schedule(project, "greeter", paused=True)
    [paused] = list_schedules(project)
    assert paused.paused and paused.next_runs == [], "a paused schedule starts nothing, whatever its calendar says"
    time.sleep(1.5)  # a run the schedule started just before the pause may still become visible
    counted = len(_run_ids(project))
    time.sleep(3)
    assert len(_run_ids(project)) == counted, "a paused schedule kept starting runs"

    trigger_schedule(project, "greeter")
    assert wait_until(lambda: len(_run_ids(project)) == counted + 1, timeout=15)
    _terminate_all(project)

    graph_replace(
        workflow=Workflow.objects.get(pk=workflow.pk),
        user=project.owner,
        expected_version=None,
        document=greeter_document(),
        message="manual trigger only",
    )
    again = deploy_project(project, project.owner, activation_wait=20)
    assert again.schedules == [f"schedule deleted: {schedule_id}"]
    assert wait_until(lambda: list_schedules(project) == [], timeout=10)
    with pytest.raises(ScheduleNotFound, match="'greeter' has no schedule"):
        pause_schedule(project, "greeter", paused=False)


def test_a_paused_schedule_stays_paused_when_deployed_again(temporal_address, db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    project = make_project(make_user(), name="Paused Greetings")
    workflow = make_workflow_from_document(project, greeter_document(cron="0 9 * * 1"))
    first = deploy_project(project, project.owner, activation_wait=0)
    pause_schedule(project, "greeter", paused=True, note="holiday")
    document = greeter_document(cron="0 10 * * 1")
    graph_replace(workflow=workflow, user=project.owner, expected_version=None, document=document, message="10am")
    second = deploy_project(project, project.owner, activation_wait=0)
    assert first.schedules[0].startswith("schedule created") and second.schedules[0].startswith("schedule updated")
    [view] = _listed(project)
    assert (view.cron, view.paused, view.description) == ("0 10 * * 1", True, "At 10:00 AM, only on Monday")
    sync_schedules(project, second.deployment)  # idempotent
    assert [v.schedule_id for v in list_schedules(project)] == [schedule_id_for(project, "greeter")]


def test_schedules_follow_the_build_not_the_draft(temporal_address, db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    project = make_project(make_user(), name="Built Greetings")
    workflow = make_workflow_from_document(project, greeter_document(cron="0 9 * * 1"))
    first = deploy_project(project, project.owner, activation_wait=0).deployment
    edited = greeter_document(cron="0 10 * * 1")
    graph_replace(workflow=workflow, user=project.owner, expected_version=None, document=edited, message="10am")

    sync_schedules(project, first)  # anything that syncs before the next deploy: the build's cron
    [view] = _listed(project)
    assert view.cron == "0 9 * * 1"

    again = deploy_project(project, project.owner, activation_wait=0)
    assert again.deployment == first and not again.created, "a cron is not code: the same build"
    assert again.schedules == [f"schedule updated: {schedule_id_for(project, 'greeter')}"]
    assert list_schedules(project)[0].cron == "0 10 * * 1"

    broken = greeter_document(cron="0 11 * * 1")
    broken["nodes"].append({"key": "mystery", "type": "activity", "label": "?", "config": {"activity": "nope"}})
    graph_replace(workflow=workflow, user=project.owner, expected_version=None, document=broken, message="11am")
    kept = deploy_project(project, project.owner, activation_wait=0)
    assert kept.workflows[0].startswith("greeter: kept revision"), kept.workflows
    assert list_schedules(project)[0].cron == "0 10 * * 1", "a draft with errors moved the schedule"
