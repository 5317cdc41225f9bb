"""query_workflow, schedules and start_workflow --wait's failure message, on the dev server."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compiler.builds.deploy import deploy_project
from compiler.runs.control import run_id_in, start_run
from compiler.schedules.service import list_schedules
from tests.compiler.run_documents import flaky_document, greeter_document
from tests.compiler.runs.test_control import GREETER_ACTIVITIES, deployed, wait_until  # noqa: F401 - the fixture
from tests.compiler.schedules.test_service import _terminate_all
from tests.factories import make_project, make_user, make_workflow_from_document


def test_query_workflow_prints_the_answer_and_names_declared_queries(deployed, capsys):  # noqa: F811 - the fixture
    project = deployed
    ref = start_run(project, "greeter", {"name": "Ada"}, workflow_id="cmd-query")

    def waiting() -> dict | None:
        call_command("query_workflow", ref.workflow_id, "progress")
        out = capsys.readouterr().out
        answer = json.loads(out[out.index("{") : out.rindex("}") + 1])
        return answer if answer["nodes"].get("wait-approval") == "running" else None

    answer = wait_until(waiting)
    assert answer and answer["nodes"]["nap"] == "completed"
    call_command("query_workflow", "cmd-query", "progress", "--project", project.slug)
    out = capsys.readouterr().out
    assert out.startswith(f"Asking cmd-query ({project.slug}) for 'progress'...\n")
    assert out.rstrip().endswith("'progress' answered by cmd-query.")
    with pytest.raises(
        CommandError, match=r"Not asked: query: 'state' is not a query of greeter \(declared: progress\)"
    ):
        call_command("query_workflow", ref.workflow_id, "state")
    with pytest.raises(CommandError, match="No run 'nobody' on Temporal: without --project"):
        call_command("query_workflow", "nobody", "progress")


def test_schedules_lists_pauses_resumes_and_triggers(temporal_address, db, settings, capsys):
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    settings.SCHEDULES_PAUSED_ON_CREATE = False
    project = make_project(make_user(), name="Cli Crons")
    make_workflow_from_document(project, greeter_document(cron="0 9 * * 1"))
    deploy_project(project, project.owner, activation_wait=0)
    assert wait_until(lambda: list_schedules(project), timeout=10)

    call_command("schedules", project.slug)
    out = capsys.readouterr().out
    assert "greeter: At 09:00 AM, only on Monday (0 9 * * 1, UTC), active\n" in out
    assert out.count("  next: ") == 3 and out.rstrip().endswith(f"1 schedule in {project.slug}.")

    call_command("schedules", project.slug, "pause", "greeter", "--note", "holiday")
    assert capsys.readouterr().out.rstrip().endswith("Paused the schedule of greeter.")
    call_command("schedules", project.slug, "list")
    out = capsys.readouterr().out
    assert "), paused\n" in out and "next:" not in out, "a paused schedule lists no next runs"
    call_command("schedules", project.slug, "resume", "greeter")
    assert not list_schedules(project)[0].paused
    call_command("schedules", project.slug, "trigger", "greeter")
    assert "Triggered the schedule of greeter." in capsys.readouterr().out
    assert wait_until(lambda: list_schedules(project)[0].recent_runs, timeout=15)
    _terminate_all(project)

    with pytest.raises(CommandError, match="'other' has no schedule; give its start node a cron trigger"):
        call_command("schedules", project.slug, "pause", "other")
    with pytest.raises(CommandError, match="'trigger' needs the workflow"):
        call_command("schedules", project.slug, "trigger")
    with pytest.raises(CommandError, match="No project with slug 'nope'"):
        call_command("schedules", "nope")


def test_start_and_wait_prints_the_failures_cause_not_activity_task_failed(start_worker, settings, monkeypatch):
    settings.WORKFLOW_ACTIVITY_MODULES = [GREETER_ACTIVITIES]
    monkeypatch.setenv("HTTP_ACTIVITY_ALLOWED_HOSTS", "http://127.0.0.1:1")
    project = make_project(make_user(), name="Cli Flaky")
    make_workflow_from_document(project, flaky_document())
    worker = start_worker(project.slug)
    assert deploy_project(project, project.owner, activation_wait=60).deployment.status == "current", worker.output

    with pytest.raises(CommandError) as failed:
        call_command("start_workflow", project.slug, "flaky", "--id", "cmd-flaky", "--wait")
    message = str(failed.value)
    assert message.startswith(f"Run {run_id_in(project, 'cmd-flaky')} failed: Activity task failed: ")
    assert len(message.split(": ")) > 3, f"the cause after 'Activity task failed' is missing: {message}"
