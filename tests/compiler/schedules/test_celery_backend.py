"""SCHEDULE_BACKEND = "celery": deploy keeps django-celery-beat PeriodicTask rows in step with the cron triggers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from compiler.builds.deploy import deploy_project
from compiler.models import Deployment
from compiler.runs.control import list_runs, run_id_in
from compiler.runs.history import describe_run
from compiler.schedules.service import list_schedules, pause_schedule, schedule_id_for, sync_schedules, trigger_schedule
from tests.compiler.build_support import make_build
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import GREETER_ACTIVITIES, wait_until
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.services import graph_replace


@pytest.fixture
def celery_backend(settings):
    settings.SCHEDULE_BACKEND = "celery"
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]


def _replace(workflow, document: dict) -> None:
    graph_replace(workflow=workflow, user=workflow.project.owner, expected_version=None, document=document, message="")


def test_periodic_tasks_are_created_updated_and_deleted_with_the_triggers(db, celery_backend):
    project = make_project(make_user(), name="Beat")
    workflow = make_workflow_from_document(project, greeter_document(cron="*/15 9-17 * * 1-5"))
    deployment = make_build(project)
    name = schedule_id_for(project, "greeter")

    assert sync_schedules(project, deployment).created == [name]
    task = PeriodicTask.objects.get(name=name)
    assert task.task == "compiler.tasks.start_scheduled_workflow"
    assert json.loads(task.kwargs) == {
        "project": project.slug,
        "workflow": "greeter",
        "input": {"name": "scheduled"},
        "workflow_id": run_id_in(project, "greeter"),
    }
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week) == (
        "*/15",
        "9-17",
        "*",
        "*",
        "1-5",
    )
    assert str(crontab.timezone) == "UTC" and task.enabled

    pause_schedule(project, "greeter", paused=True)
    document = greeter_document(cron="0 6 * * *")
    document["nodes"][0]["config"]["timezone"] = "Europe/Berlin"
    _replace(workflow, document)
    sync_schedules(project, deployment)
    task.refresh_from_db()
    assert task.crontab.hour == "9-17", "the draft's cron reached the schedule without a deploy"
    assert sync_schedules(project, make_build(project)).updated == [name]
    task.refresh_from_db()
    assert (task.crontab.hour, str(task.crontab.timezone), task.enabled) == ("6", "Europe/Berlin", False)
    [view] = list_schedules(project)
    assert (view.workflow, view.cron, view.timezone, view.paused) == ("greeter", "0 6 * * *", "Europe/Berlin", True)
    assert view.description == "At 06:00 AM" and view.next_runs == []

    pause_schedule(project, "greeter", paused=False)
    [view] = list_schedules(project)
    assert len(view.next_runs) == 3 and all(t > timezone.now() for t in view.next_runs)
    assert view.next_runs[1] - view.next_runs[0] == timedelta(days=1)
    assert all(t.hour == 6 for t in view.next_runs)

    _replace(workflow, greeter_document())
    assert sync_schedules(project, make_build(project)).deleted == [name]
    assert not PeriodicTask.objects.filter(name=name).exists()


def test_a_cron_input_that_misses_required_fields_is_reported(db, celery_backend):
    project = make_project(make_user(), name="Beat Broken")
    document = greeter_document(cron="0 * * * *")
    document["nodes"][0]["config"]["cron_input"] = {"nap": "long"}
    make_workflow_from_document(project, document)
    report = sync_schedules(project, make_build(project))
    assert report.lines() == [
        f"schedule created: {schedule_id_for(project, 'greeter')}",
        "warning: scheduled runs of greeter would fail: cron_input does not fit its input fields "
        "(name: is required (text); nap: must be a number, not str)",
    ]


def test_workflows_not_in_the_build_get_no_periodic_task(db, celery_backend):
    project = make_project(make_user(), name="Beat Later")
    make_workflow_from_document(project, greeter_document(cron="0 * * * *"))
    deployment = Deployment.objects.create(project=project, build_id="b" * 12, sources={"other": "# code"})
    assert sync_schedules(project, deployment).created == []
    assert not PeriodicTask.objects.exists()


def test_deploy_writes_the_rows_and_trigger_now_starts_a_run(start_worker, celery_backend):
    project = make_project(make_user(), name="Beat Now")
    make_workflow_from_document(project, greeter_document(cron="0 0 1 1 *"))
    start_worker(project.slug)
    result = deploy_project(project, project.owner, activation_wait=20)
    assert result.schedules == [f"schedule created: {schedule_id_for(project, 'greeter')}"]

    trigger_schedule(project, "greeter")
    [run] = wait_until(lambda: _scheduled_runs(project))
    assert run.startswith(run_id_in(project, "greeter-")) and run.endswith("Z")
    assert describe_run(project, run).input == {"name": "scheduled"}


def _scheduled_runs(project) -> list[str]:
    return [r.workflow_id for r in list_runs(project, "greeter")]
