"""Export a workflow as a document and import documents: all or nothing, problems name the node."""

import copy
import json
import re
from pathlib import Path

import pytest

from tests.factories import make_project, sample_document
from workflows.models import Edge, Node, Revision, Workflow
from workflows.services import workflow_export


def import_url(project) -> str:
    return f"/api/projects/{project.slug}/workflows/import/"


def row_counts() -> tuple[int, int, int, int]:
    return Workflow.objects.count(), Node.objects.count(), Edge.objects.count(), Revision.objects.count()


def test_export_then_import_into_another_project_gives_the_same_graph(team, api_for):
    client = api_for("owner")
    exported = client.get(f"/api/projects/{team.project.slug}/workflows/package-build/export/").json()
    target = make_project(team.user("owner"), name="Mirror")
    response = client.post(import_url(target), exported, format="json")
    assert response.status_code == 201
    assert workflow_export(Workflow.objects.get(project=target, identifier="package-build")) == exported


def test_import_under_another_identifier(team, api_for):
    document = sample_document("package-build")
    response = api_for("editor").post(import_url(team.project) + "?identifier=package-build-2", document, format="json")
    assert response.status_code == 201
    assert response.json()["identifier"] == "package-build-2"


def test_import_answers_with_the_new_workflow(team, api_for):
    response = api_for("editor").post(import_url(team.project), sample_document("fresh"), format="json")
    assert response.json()["node_count"] == len(sample_document()["nodes"])


def broken(change) -> dict:
    document = copy.deepcopy(sample_document("broken"))
    change(document)
    return document


def add_bad_edge(document):
    document["edges"].append({"source": "check", "target": "done", "kind": "next"})


def add_unknown_type(document):
    document["nodes"].append({"key": "beam", "type": "teleport", "label": "Beam", "config": {}})


def break_config(document):
    document["nodes"][5]["config"] = {"activity": "check_package_exists", "args": {"package": "input.["}}


BROKEN = [
    pytest.param(add_bad_edge, "check", "crosses containers", id="edge-across-containers"),
    pytest.param(add_unknown_type, "beam", "Unknown node type 'teleport'", id="unknown-type"),
    pytest.param(break_config, "check", "args: package: is not a valid expression", id="invalid-config"),
]


@pytest.mark.parametrize("change,node,message", BROKEN)
def test_broken_import_is_400_with_problems_naming_the_node(team, api_for, change, node, message):
    response = api_for("editor").post(import_url(team.project), broken(change), format="json")
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert any(p["node"] == node and message in p["message"] for p in problems), problems


@pytest.mark.parametrize("change,node,message", BROKEN)
def test_broken_import_writes_nothing(team, api_for, change, node, message):
    before = row_counts()
    api_for("editor").post(import_url(team.project), broken(change), format="json")
    assert row_counts() == before


def test_import_of_an_existing_identifier_is_a_problem(team, api_for):
    response = api_for("editor").post(import_url(team.project), sample_document("package-build"), format="json")
    assert response.status_code == 400
    assert "already has a workflow 'package-build'" in response.json()["problems"][0]["message"]


def test_import_of_an_identifier_differing_only_in_dash_or_underscore_is_a_problem(team, api_for):
    before = row_counts()
    response = api_for("editor").post(import_url(team.project), sample_document("package_build"), format="json")
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert problem["field"] == "identifier" and "already has a workflow 'package-build'" in problem["message"]
    assert row_counts() == before


def test_import_of_a_list_instead_of_a_document(team, api_for):
    response = api_for("editor").post(import_url(team.project), [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["message"] == "The document must be a JSON object."


def test_the_documented_example_imports_cleanly(team, api_for):
    text = (Path(__file__).resolve().parents[3] / "docs" / "workflow-json.md").read_text()
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    response = api_for("editor").post(import_url(team.project), example, format="json")
    assert response.status_code == 201, response.content
