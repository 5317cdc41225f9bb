"""Everything about a run uses the graph of its build, never the draft being edited.

A real dev server and `run_worker`: the greeter is deployed and a run
started; then its draft drops the `approve` handler for `hurry` and renames
the input field `name` to `who`. Until the next deploy, the runs API and the
run form still follow the deployed build; after it, new runs follow the new
graph while the older run keeps its own, on the page too.
"""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compiler.builds.deploy import deploy_project
from compiler.runs.control import run_id_in
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import wait_until
from tests.workflows.editor_support import client_for
from tests.workflows.run_support import greeters, start_worker, temporal_address  # noqa: F401 - fixtures
from workflows.models import Workflow
from workflows.services import graph_replace


def edited_greeter() -> dict:
    """The greeter with `hurry` (no payload) instead of `approve`, and its input `name` renamed `who`."""
    document = copy.deepcopy(greeter_document())
    nodes = {node["key"]: node for node in document["nodes"]}
    nodes["start"]["config"]["input_fields"][0]["name"] = "who"
    nodes["on-approve"].update(
        key="on-hurry",
        label="Hurry",
        config={"signal": "hurry", "actions": [{"op": "set", "var": "approved", "value": "True"}]},
    )
    nodes["done"]["config"]["result"] = "{'greeted': input.who, 'by': approvers, 'napped': napped}"
    return document


def runs_api(project) -> str:
    return f"/api/projects/{project.slug}/workflows/greeter/runs/"


def signal(api: APIClient, project, workflow_id: str, name: str, payload=None):
    url = f"/api/projects/{project.slug}/runs/{workflow_id}/signal/"
    return api.post(url, {"signal": name} if payload is None else {"signal": name, "payload": payload}, format="json")


def finished(api: APIClient, project, workflow_id: str) -> dict:
    def closed():
        data = api.get(f"/api/projects/{project.slug}/runs/{workflow_id}/").data
        return data["status"] != "running" and data

    return wait_until(closed, timeout=30)


def run_page(client, project, workflow_id: str) -> str:
    return client.get(reverse("workflows:run-detail", args=(project.slug, workflow_id))).content.decode()


@pytest.mark.temporal
def test_runs_follow_their_build_until_the_next_deploy_and_older_runs_keep_theirs(greeters):  # noqa: F811
    project, editor_user = greeters.project, greeters.users["editor"]
    api = APIClient()
    api.force_login(editor_user)
    old = api.post(runs_api(project), {"input": {"name": "Ada"}, "workflow_id": "old-run"}, format="json")
    assert old.status_code == 201, old.data
    workflow = Workflow.objects.get(project=project, identifier="greeter")
    graph_replace(workflow=workflow, user=editor_user, expected_version=None, document=edited_greeter(), message="")

    # The draft changed; what the runs API accepts did not.
    assert signal(api, project, "old-run", "hurry").data == {
        "signal": ["'hurry' is not a signal of greeter (declared: approve)"]
    }
    renamed = api.post(runs_api(project), {"input": {"who": "Cy"}}, format="json")
    assert renamed.status_code == 400
    assert renamed.data == {"name": ["is required (text)"], "who": ["is not a declared field (declared: name, nap)"]}
    runs_page = client_for(editor_user).get(reverse("workflows:runs", args=(project.slug, "greeter")))
    assert "&quot;name&quot;" in runs_page.content.decode(), "the run form follows the build"

    deployed = deploy_project(project, editor_user, activation_wait=20)
    assert deployed.created and deployed.deployment.status == "current", deployed.message
    workflow.refresh_from_db()
    assert deployed.workflows == [f"greeter: revision {workflow.version} (changed)"]

    new = api.post(runs_api(project), {"input": {"who": "Di"}, "workflow_id": "new-run"}, format="json")
    assert new.status_code == 201, new.data
    assert api.post(runs_api(project), {"input": {"name": "Ed"}}, format="json").status_code == 400
    assert signal(api, project, "new-run", "approve", {"by": "Bo"}).status_code == 400
    assert signal(api, project, "old-run", "hurry").status_code == 400, "the older run still has its own graph"

    page = client_for(editor_user)
    old_page, new_page = run_page(page, project, "old-run"), run_page(page, project, "new-run")
    assert 'id="node-on-approve"' in old_page and 'id="node-on-hurry"' not in old_page
    assert 'id="node-on-hurry"' in new_page and 'id="node-on-approve"' not in new_page
    assert "Signal approve" in old_page and "Signal hurry" in new_page

    assert signal(api, project, "old-run", "approve", {"by": "Bo"}).status_code == 202
    assert signal(api, project, "new-run", "hurry").status_code == 202
    old_done, new_done = finished(api, project, "old-run"), finished(api, project, "new-run")
    assert (old_done["status"], old_done["result"]["greeted"], old_done["result"]["by"]) == ("completed", "Ada", ["Bo"])
    assert (new_done["status"], new_done["result"]["greeted"]) == ("completed", "Di")
    assert old_done["build_id"] != new_done["build_id"] == deployed.deployment.build_id
    assert old_done["workflow_id"] == run_id_in(project, "old-run")
