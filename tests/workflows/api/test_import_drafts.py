"""Importing a graph the validator finds errors in: a draft (201, not deployable), or nothing with ?strict=true."""

import pytest

from projects.models import Membership
from workflows.editor.state import editor_state
from workflows.models import Edge, Node, Revision, Workflow


def import_url(project, query: str = "") -> str:
    return f"/api/projects/{project.slug}/workflows/import/{query}"


def row_counts() -> tuple[int, int, int, int]:
    return Workflow.objects.count(), Node.objects.count(), Edge.objects.count(), Revision.objects.count()


def waiting_document(identifier: str) -> dict:
    """Start, wait five seconds, end: a graph the validator has nothing against."""
    return {
        "identifier": identifier,
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": {}},
            {"key": "wait", "type": "timer", "label": "Wait", "config": {"duration": "5"}},
            {"key": "done", "type": "end", "label": "Done", "config": {"result": "'waited'"}},
        ],
        "edges": [
            {"source": "start", "target": "wait", "kind": "next"},
            {"source": "wait", "target": "done", "kind": "next"},
        ],
    }


def with_cycle(document: dict) -> None:
    """Wait, then ask whether to wait again: a loop drawn with edges instead of a loop container."""
    document["nodes"].append({"key": "again", "type": "condition", "label": "Again?", "config": {"expression": "True"}})
    document["edges"][1:] = [
        {"source": "wait", "target": "again", "kind": "next"},
        {"source": "again", "target": "wait", "kind": "true"},
        {"source": "again", "target": "done", "kind": "false"},
    ]


def with_refused_expression(document: dict) -> None:
    document["nodes"][2]["config"]["result"] = "__import__('os')"


def with_unconnected_node(document: dict) -> None:
    document["nodes"].append({"key": "nap", "type": "timer", "label": "Nap", "config": {"duration": "1"}})


# (change, where the error is pinned, words of its message)
BROKEN = [
    pytest.param(with_cycle, {"edge": "again -true-> wait"}, "form a cycle", id="cycle"),
    pytest.param(
        with_refused_expression,
        {"node": "done", "field": "result"},
        "'__import__' is not an allowed function",
        id="expression",
    ),
    pytest.param(with_unconnected_node, {"node": "nap"}, "can never run", id="unconnected"),
]


def broken(change, identifier: str = "draft") -> dict:
    document = waiting_document(identifier)
    change(document)
    return document


def errors_of(body: dict) -> list[dict]:
    return [d for d in body["diagnostics"] if d["severity"] == "error"]


def test_a_clean_graph_is_deployable(team, api_for):
    response = api_for("editor").post(import_url(team.project), waiting_document("waiting"), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["identifier"] == "waiting" and body["node_count"] == 3
    assert body["deployable"] is True and errors_of(body) == []


@pytest.mark.parametrize("change,where,words", BROKEN)
def test_a_graph_with_errors_is_stored_as_a_draft_that_is_not_deployable(team, api_for, change, where, words):
    response = api_for("editor").post(import_url(team.project), broken(change), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["deployable"] is False
    pinned = [d for d in errors_of(body) if all(d[name] == value for name, value in where.items())]
    assert pinned and words in pinned[0]["message"], body["diagnostics"]
    workflow = Workflow.objects.get(project=team.project, identifier="draft")
    assert sorted(workflow.nodes.values_list("key", flat=True)) == sorted(n["key"] for n in broken(change)["nodes"])
    assert workflow.edges.count() == len(broken(change)["edges"])
    assert list(workflow.revisions.values_list("number", "message")) == [(1, "imported")]


def test_the_diagnostics_are_the_editors(team, api_for):
    """The import answers exactly what the editor's diagnostics panel lists for the stored draft."""
    editor = team.user("editor")
    body = api_for("editor").post(import_url(team.project), broken(with_cycle), format="json").json()
    workflow = Workflow.objects.get(project=team.project, identifier="draft")
    membership = Membership.objects.get(project=team.project, user=editor)
    shown = editor_state(team.project, membership, workflow).diagnostics
    assert body["diagnostics"] == [d.as_dict() for d in shown]


def test_a_child_workflow_missing_from_the_project_makes_the_draft_not_deployable(team, api_for):
    """References are checked against the project's other workflows, as in the editor."""
    document = waiting_document("parent")
    document["nodes"][1] = {"key": "wait", "type": "child_workflow", "label": "Child", "config": {"workflow": "ghost"}}
    body = api_for("editor").post(import_url(team.project), document, format="json").json()
    assert body["deployable"] is False
    assert any(d["node"] == "wait" and "ghost" in d["message"] for d in errors_of(body)), body["diagnostics"]


@pytest.mark.parametrize("change,where,words", BROKEN)
def test_strict_refuses_a_graph_with_errors_and_writes_nothing(team, api_for, change, where, words):
    before = row_counts()
    response = api_for("editor").post(import_url(team.project, "?strict=true"), broken(change), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["deployable"] is False and "strict" in body["detail"]
    assert any(all(d[name] == value for name, value in where.items()) for d in errors_of(body)), body
    assert row_counts() == before
    assert not Workflow.objects.filter(identifier="draft").exists()


def test_strict_imports_a_clean_graph(team, api_for):
    response = api_for("editor").post(import_url(team.project, "?strict=1"), waiting_document("tidy"), format="json")
    assert response.status_code == 201 and response.json()["deployable"] is True
    assert Workflow.objects.filter(project=team.project, identifier="tidy").exists()


def test_strict_false_stores_the_draft(team, api_for):
    response = api_for("editor").post(
        import_url(team.project, "?strict=false"), broken(with_cycle, "loose"), format="json"
    )
    assert response.status_code == 201 and response.json()["deployable"] is False
    assert Workflow.objects.filter(project=team.project, identifier="loose").exists()


def test_strict_must_be_true_or_false(team, api_for):
    before = row_counts()
    response = api_for("editor").post(import_url(team.project, "?strict=maybe"), waiting_document("x"), format="json")
    assert response.status_code == 400
    assert response.json() == {"strict": "Must be true or false."}
    assert row_counts() == before


def test_a_document_that_cannot_be_stored_is_still_a_list_of_problems_under_strict(team, api_for):
    document = waiting_document("odd")
    document["nodes"][1]["type"] = "teleport"
    before = row_counts()
    response = api_for("editor").post(import_url(team.project, "?strict=true"), document, format="json")
    assert response.status_code == 400
    assert response.json()["problems"][0]["node"] == "wait"
    assert row_counts() == before


@pytest.mark.parametrize("role,status", [("outsider", 404), ("viewer", 403)])
def test_strict_import_checks_the_role_before_validating(team, api_for, role, status):
    before = row_counts()
    response = api_for(role).post(import_url(team.project, "?strict=true"), broken(with_cycle), format="json")
    assert response.status_code == status
    assert "diagnostics" not in response.json()
    assert row_counts() == before
