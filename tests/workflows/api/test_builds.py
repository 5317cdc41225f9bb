"""The builds API: the list the builds page shows, and two builds compared by graph and code."""

from __future__ import annotations

from compiler.models import Deployment
from tests.compiler.build_support import make_build
from tests.compiler.deploy_graphs import gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.api.test_runs import api
from workflows.services import graph_replace


def _two_builds():
    editor, viewer = make_user(), make_user()
    project = make_project(make_user(), name="Api Builds", editors=[editor], viewers=[viewer])
    gate = make_workflow_from_document(project, gate_document())
    first = make_build(project)
    graph_replace(workflow=gate, user=editor, expected_version=None, document=gate_document(result="v2"), message="")
    second = make_build(project)
    Deployment.objects.filter(pk=second.pk).update(created_by=editor)
    return project, viewer, first, second


def test_a_viewer_lists_the_builds_newest_first_with_each_workflows_revision(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    project, viewer, first, second = _two_builds()
    assert first.build_id != second.build_id, "the edit changed the generated code"

    response = api(viewer).get(f"/api/projects/{project.slug}/builds/")
    assert response.status_code == 200
    newer, older = response.json()
    assert [newer["build_id"], older["build_id"]] == [second.build_id, first.build_id]
    assert newer["newest"] and not older["newest"]
    assert newer["previous_build_id"] == first.build_id and older["previous_build_id"] == ""
    assert newer["created_by"] == Deployment.objects.get(pk=second.pk).created_by.username
    (gate,) = newer["workflows"]
    assert gate["identifier"] == "gate" and gate["revision"] == project.workflows.get().version


def test_two_builds_compare_by_graph_and_code(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    project, viewer, first, second = _two_builds()
    url = f"/api/projects/{project.slug}/builds/compare/"

    response = api(viewer).get(url, {"from": first.build_id, "to": second.build_id})
    assert response.status_code == 200
    (gate,) = response.json()
    assert gate["identifier"] == "gate" and gate["change"] == "changed"
    assert gate["graph"]["nodes"]["changed"], "the end node's result changed"
    assert f"--- {first.build_id}/gate.py" in gate["code_diff"]
    assert "+" in gate["code_diff"] and "v2" in gate["code_diff"]

    unknown = api(viewer).get(url, {"from": "abc123", "to": second.build_id})
    assert unknown.status_code == 400 and "has no build 'abc123'" in str(unknown.json())
    assert api(viewer).get(url, {"to": second.build_id}).status_code == 400, "from is required"
    assert api(viewer).get(url, {"from": "not hex", "to": second.build_id}).status_code == 400
    assert api(make_user()).get(url, {"from": first.build_id, "to": second.build_id}).status_code == 404
    assert api(None).get(f"/api/projects/{project.slug}/builds/").status_code in (401, 403)
