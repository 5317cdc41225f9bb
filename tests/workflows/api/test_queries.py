"""Query API: GET runs/<id>/queries/<name>/ answers the run's state; unknown names 400, roles, no worker 409."""

from __future__ import annotations

import pytest

from compiler.builds.deploy import deploy_project
from compiler.runs.control import run_id_in
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import wait_until
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.api.test_runs import api, run, runs
from tests.workflows.run_support import greeters, start_worker, temporal_address  # noqa: F401 - fixtures


@pytest.mark.temporal
def test_a_viewer_queries_a_run_and_unknown_queries_name_the_declared_ones(greeters):  # noqa: F811 - the fixture
    project, users = greeters.project, greeters.users
    started = api(users["editor"]).post(runs(project), {"input": {"name": "Q"}, "workflow_id": "q-1"}, format="json")
    assert started.status_code == 201, started.data
    viewer = api(users["viewer"])

    def waiting():
        answer = viewer.get(run(project, "q-1", "queries/progress"))
        running = answer.status_code == 200 and answer.data["result"]["nodes"].get("wait-approval") == "running"
        return running and answer

    answer = wait_until(waiting)
    assert answer, viewer.get(run(project, "q-1", "queries/progress")).data
    assert answer.data["query"] == "progress" and answer.data["result"]["nodes"]["nap"] == "completed"
    full = viewer.get(run(project, run_id_in(project, "q-1"), "queries/progress"))
    assert full.status_code == 200 and full.data["query"] == "progress"

    unknown = viewer.get(run(project, "q-1", "queries/state"))
    assert unknown.status_code == 400
    assert unknown.data == {"query": ["'state' is not a query of greeter (declared: progress)"]}
    assert viewer.get(run(project, "nobody", "queries/progress")).status_code == 404
    assert api(users["outsider"]).get(run(project, "q-1", "queries/progress")).status_code == 404
    assert api(None).get(run(project, "q-1", "queries/progress")).status_code in (401, 403)


@pytest.mark.temporal
def test_a_run_no_worker_serves_answers_409_with_the_reason(start_worker, settings):  # noqa: F811 - the fixture
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    owner = make_user()
    project = make_project(owner, name="Unserved")
    make_workflow_from_document(project, greeter_document())
    worker = start_worker(project.slug)
    assert deploy_project(project, owner, activation_wait=60).deployment.status == "current", worker.output
    client = api(owner)
    assert client.post(runs(project), {"input": {"name": "Q"}, "workflow_id": "q-2"}, format="json").status_code == 201
    assert wait_until(lambda: client.get(run(project, "q-2", "queries/progress")).status_code == 200)
    worker.stop()

    unanswered = client.get(run(project, "q-2", "queries/progress"))
    assert unanswered.status_code == 409, unanswered.data
    assert "a worker of the run's build must be running" in unanswered.data["detail"]
