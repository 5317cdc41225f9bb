"""Runs API: start, list, detail, signal (400 on bad payloads), cancel, terminate; roles; Temporal away."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from compiler.runs.control import run_id_in
from tests.compiler.runs.test_control import wait_until
from tests.workflows.run_support import greeters, start_worker, temporal_address  # noqa: F401 - fixtures


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def runs(project) -> str:
    return f"/api/projects/{project.slug}/workflows/greeter/runs/"


def run(project, workflow_id: str, action: str = "") -> str:
    return f"/api/projects/{project.slug}/runs/{workflow_id}/{action + '/' if action else ''}"


@pytest.mark.temporal
def test_start_list_describe_signal_and_finish_a_run(greeters):  # noqa: F811 - the fixture
    project, users = greeters.project, greeters.users
    editor = api(users["editor"])

    started = editor.post(
        runs(project), {"input": {"name": "Ada", "nap": 0.1}, "workflow_id": "api-ada"}, format="json"
    )
    assert started.status_code == 201, started.data
    assert started.data["workflow_id"] == run_id_in(project, "api-ada") and started.data["run_id"]

    listed = wait_until(lambda: api(users["viewer"]).get(runs(project)).data)
    assert [(r["workflow_id"], r["status"], r["started_by"]) for r in listed] == [
        (run_id_in(project, "api-ada"), "running", users["editor"].username)
    ]

    def waiting():
        # The progress query is asked after the history is read, so a page can report the nap
        # completed a moment before its output is in the history it read: wait for both.
        data = api(users["viewer"]).get(run(project, "api-ada")).data
        napped = any(step["key"] == "nap" and step["output"] is not None for step in data["steps"])
        return data["statuses"].get("wait-approval", {}).get("status") == "running" and napped and data

    detail = wait_until(waiting)
    assert detail["is_open"] and detail["input"] == {"name": "Ada", "nap": 0.1}
    assert detail["statuses"]["nap"] == {"status": "completed", "attempt": 1}
    nap = next(step for step in detail["steps"] if step["key"] == "nap")
    assert nap["output"] == {"slept": 0.1} and nap["duration"] >= 0.1
    assert [s["name"] for s in detail["signals"]] == ["approve"]

    bad = editor.post(run(project, "api-ada", "signal"), {"signal": "approve", "payload": {"by": 7}}, format="json")
    assert bad.status_code == 400 and bad.data == {"by": ["must be text, not int"]}
    unknown = editor.post(run(project, "api-ada", "signal"), {"signal": "nope"}, format="json")
    assert unknown.status_code == 400
    assert unknown.data == {"signal": ["'nope' is not a signal of greeter (declared: approve)"]}

    sent = editor.post(run(project, "api-ada", "signal"), {"signal": "approve", "payload": {"by": "Bo"}}, format="json")
    assert sent.status_code == 202
    done = wait_until(lambda: (data := editor.get(run(project, "api-ada")).data)["status"] == "completed" and data)
    assert done["result"] == {"greeted": "Ada", "by": ["Bo"], "napped": {"slept": 0.1}}
    assert not done["is_open"] and done["duration"] > 0


@pytest.mark.temporal
def test_roles_and_stopping_runs(greeters):  # noqa: F811 - the fixture
    project, users = greeters.project, greeters.users
    viewer, owner = api(users["viewer"]), api(users["owner"])
    assert viewer.post(runs(project), {"input": {"name": "V"}}, format="json").status_code == 403
    first = owner.post(runs(project), {"input": {"name": "A"}}, format="json").data["workflow_id"]
    second = owner.post(runs(project), {"input": {"name": "B"}}, format="json").data["workflow_id"]

    assert viewer.get(run(project, first)).status_code == 200
    assert viewer.post(run(project, first, "signal"), {"signal": "approve"}, format="json").status_code == 403
    assert viewer.post(run(project, first, "cancel")).status_code == 403
    outsider = api(users["outsider"])
    assert outsider.get(run(project, first)).status_code == 404
    assert outsider.get(runs(project)).status_code == 404
    assert owner.get(run(project, "no-such-run")).status_code == 404

    assert owner.post(run(project, first, "cancel")).status_code == 202
    assert owner.post(run(project, second, "terminate"), {"reason": "enough"}, format="json").status_code == 202
    assert wait_until(lambda: owner.get(run(project, first)).data["status"] == "canceled")
    terminated = owner.get(run(project, second)).data
    assert (terminated["status"], terminated["failure"]) == ("terminated", "terminated: enough")
    late = owner.post(run(project, second, "signal"), {"signal": "approve", "payload": {"by": "x"}}, format="json")
    assert late.status_code == 400 and "already finished" in late.data["non_field_errors"][0]


def test_bad_input_and_an_unreachable_temporal_are_explained(team, settings):
    editor = api(team.user("editor"))
    url = f"/api/projects/{team.project.slug}/workflows/package-build/runs/"
    missing = editor.post(url, {"input": {}}, format="json")
    assert missing.status_code == 400 and missing.data == {"package": ["is required (text)"]}
    undeployed = editor.post(url, {"input": {"package": "zlib"}}, format="json")
    assert undeployed.status_code == 400
    assert "has no current deployment: deploy it" in undeployed.data["non_field_errors"][0]

    unknown = f"/api/projects/{team.project.slug}/workflows/nope/runs/"
    assert editor.get(unknown).status_code == 404 and editor.post(unknown, {}, format="json").status_code == 404

    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    for response in (editor.get(url), editor.get(f"/api/projects/{team.project.slug}/runs/any-run/")):
        assert response.status_code == 503
        assert response.data["detail"].startswith("Cannot reach Temporal at 127.0.0.1:1")
