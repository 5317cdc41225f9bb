"""Schedules API: list (next runs only while active), pause, resume and trigger on the dev server; roles; 404."""

from __future__ import annotations

import pytest

from compiler.builds.deploy import deploy_project
from compiler.runs.control import run_id_in
from compiler.schedules.service import list_schedules, schedule_id_for
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import wait_until
from tests.compiler.schedules.test_service import _terminate_all
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.api.test_runs import api
from tests.workflows.run_support import temporal_address  # noqa: F401 - the fixture


def schedules(project, action: str = "") -> str:
    return f"/api/projects/{project.slug}/schedules/{action}"


@pytest.mark.temporal
def test_list_pause_resume_and_trigger_a_schedule(temporal_address, db, settings):  # noqa: F811 - the fixture
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    settings.SCHEDULES_PAUSED_ON_CREATE = False
    owner, editor, viewer, outsider = make_user(), make_user(), make_user(), make_user()
    project = make_project(owner, name="Api Crons", editors=[editor], viewers=[viewer])
    make_workflow_from_document(project, greeter_document(cron="0 9 * * 1"))
    deploy_project(project, owner, activation_wait=0)
    assert wait_until(lambda: list_schedules(project), timeout=10)

    listed = api(viewer).get(schedules(project))
    assert listed.status_code == 200, listed.data
    [row] = listed.data
    assert (row["schedule_id"], row["workflow"], row["cron"], row["paused"]) == (
        schedule_id_for(project, "greeter"),
        "greeter",
        "0 9 * * 1",
        False,
    )
    assert len(row["next_runs"]) == 3 and row["description"] == "At 09:00 AM, only on Monday"

    assert api(viewer).post(schedules(project, "greeter/pause/")).status_code == 403
    assert api(outsider).get(schedules(project)).status_code == 404
    paused = api(editor).post(schedules(project, "greeter/pause/"), {"note": "holiday"}, format="json")
    assert paused.status_code == 202
    [row] = api(viewer).get(schedules(project)).data
    assert row["paused"] and row["next_runs"] == [], "a paused schedule lists no next runs"

    assert api(editor).post(schedules(project, "greeter/resume/")).status_code == 202
    [row] = api(viewer).get(schedules(project)).data
    assert not row["paused"] and len(row["next_runs"]) == 3

    assert api(editor).post(schedules(project, "greeter/trigger/")).status_code == 202
    [started] = wait_until(lambda: api(viewer).get(schedules(project)).data[0]["recent_runs"], timeout=15)
    assert started.startswith(run_id_in(project, "greeter-")), "Temporal appends the scheduled time to the id"
    _terminate_all(project)


@pytest.mark.temporal
def test_a_workflow_without_a_schedule_is_a_404_saying_how_to_get_one(temporal_address, db):  # noqa: F811
    owner = make_user()
    project = make_project(owner, name="No Crons")
    missing = api(owner).post(schedules(project, "greeter/trigger/"))
    assert missing.status_code == 404
    assert missing.data == {"detail": "'greeter' has no schedule; give its start node a cron trigger and deploy."}
    assert api(owner).get(schedules(project)).data == []


def test_an_unreachable_temporal_is_a_503(db, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    owner = make_user()
    project = make_project(owner, name="Away")
    away = api(owner).post(schedules(project, "greeter/pause/"))
    assert away.status_code == 503 and "Temporal" in away.data["detail"]
