"""Writing nodes and edges through the API: services' rules and messages, optimistic locking."""

import pytest

from workflows.models import Node


@pytest.fixture
def editor(api_for):
    return api_for("editor")


@pytest.fixture
def wf_url(team):
    return f"/api/projects/{team.project.slug}/workflows/{team.workflow.identifier}"


def test_adding_a_node_fills_config_defaults_and_bumps_the_version(team, editor, wf_url):
    response = editor.post(
        f"{wf_url}/nodes/", {"type": "timer", "label": "Wait a bit", "config": {"duration": "5"}}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["key"] == "wait-a-bit"
    assert response["ETag"] == f'"{team.workflow.version + 1}"'


def test_adding_a_node_inside_a_container(team, editor, wf_url):
    body = {"type": "timer", "label": "Pause", "config": {"duration": "1"}, "parent_key": "prepare"}
    response = editor.post(f"{wf_url}/nodes/", body, format="json")
    assert response.json()["parent"] == "prepare"


def test_unknown_node_type_lists_the_known_ones(editor, wf_url):
    response = editor.post(f"{wf_url}/nodes/", {"type": "teleport", "label": "Beam"}, format="json")
    assert response.status_code == 400
    assert any("Unknown node type 'teleport'" in message for message in response.json()["type"])


def test_invalid_config_names_the_config_field(editor, wf_url):
    response = editor.post(
        f"{wf_url}/nodes/", {"type": "timer", "label": "Wait", "config": {"duration": "1 +"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["config"][0].startswith("duration: is not a valid expression")


def test_child_in_a_non_container_is_refused(editor, wf_url):
    body = {"type": "timer", "label": "Nested", "config": {"duration": "1"}, "parent_key": "done"}
    response = editor.post(f"{wf_url}/nodes/", body, format="json")
    assert response.status_code == 400
    assert "cannot hold other nodes" in response.json()["parent"][0]


def test_duplicate_node_key_is_refused(editor, wf_url):
    body = {"type": "timer", "label": "Again", "key": "check", "config": {"duration": "1"}}
    response = editor.post(f"{wf_url}/nodes/", body, format="json")
    assert response.status_code == 400
    assert "already used" in response.json()["key"][0]


def test_config_that_is_not_an_object_is_a_message(editor, wf_url):
    response = editor.post(f"{wf_url}/nodes/", {"type": "timer", "label": "Wait", "config": [1, 2]}, format="json")
    assert response.status_code == 400
    assert "must be a JSON object" in response.json()["config"][0]


def test_malformed_json_body_is_a_400(editor, wf_url):
    response = editor.post(f"{wf_url}/nodes/", '{"type": "timer",', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_edge_to_a_node_of_another_workflow_is_refused(team, editor, wf_url):
    response = editor.post(
        f"{wf_url}/edges/", {"source": "build", "target": "secret-only", "kind": "error"}, format="json"
    )
    assert response.status_code == 400
    assert "No node 'secret-only'" in response.json()["target"][0]


def test_edge_across_containers_is_refused(editor, wf_url):
    response = editor.post(f"{wf_url}/edges/", {"source": "start", "target": "check"}, format="json")
    assert response.status_code == 400
    assert "crosses containers" in response.json()["target"][0]


def test_edge_kind_not_allowed_for_the_source_type(editor, wf_url):
    response = editor.post(f"{wf_url}/edges/", {"source": "start", "target": "done", "kind": "true"}, format="json")
    assert response.status_code == 400
    assert "cannot have a 'true' edge" in " ".join(response.json()["kind"])


def test_stale_expected_version_is_409_and_writes_nothing(team, editor, wf_url):
    stale = team.workflow.version
    editor.patch(f"{wf_url}/nodes/check/", {"label": "First", "expected_version": stale}, format="json")
    response = editor.patch(f"{wf_url}/nodes/check/", {"label": "Second", "expected_version": stale}, format="json")
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert Node.objects.get(workflow=team.workflow, key="check").label == "First"


def test_stale_if_match_header_is_409(team, editor, wf_url):
    editor.delete(f"{wf_url}/nodes/done/", HTTP_IF_MATCH=f'"{team.workflow.version}"')
    response = editor.delete(f"{wf_url}/nodes/check/", HTTP_IF_MATCH=f'"{team.workflow.version}"')
    assert response.status_code == 409
    assert response.json()["current_version"] == team.workflow.version + 1


def test_current_if_match_header_is_accepted(team, editor, wf_url):
    etag = editor.get(f"{wf_url}/").headers["ETag"]
    response = editor.patch(f"{wf_url}/nodes/check/", {"label": "Checked"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200


def test_expected_version_that_is_not_a_number_is_a_400(editor, wf_url):
    response = editor.patch(f"{wf_url}/nodes/check/", {"label": "X", "expected_version": "latest"}, format="json")
    assert response.status_code == 400
    assert "expected_version" in response.json()


def test_node_key_cannot_change(editor, wf_url):
    response = editor.patch(f"{wf_url}/nodes/check/", {"key": "renamed"}, format="json")
    assert response.status_code == 400
    assert "cannot change" in response.json()["key"][0]


def test_moving_a_node_to_the_top_level(team, editor, wf_url):
    response = editor.patch(f"{wf_url}/nodes/check/", {"parent_key": ""}, format="json")
    assert response.json()["parent"] is None


def test_restoring_a_revision_brings_the_graph_back(team, editor, wf_url):
    editor.delete(f"{wf_url}/nodes/done/")
    response = editor.post(f"{wf_url}/revisions/1/restore/", {}, format="json")
    assert response.status_code == 200
    assert team.workflow.nodes.filter(key="done").exists()


def test_revision_detail_has_the_snapshot(editor, wf_url):
    response = editor.get(f"{wf_url}/revisions/1/")
    assert response.json()["snapshot"]["identifier"] == "package-build"


def test_workflow_identifier_cannot_change(editor, wf_url):
    response = editor.patch(f"{wf_url}/", {"identifier": "other"}, format="json")
    assert response.status_code == 400
    assert "cannot change" in response.json()["identifier"][0]


def test_duplicate_workflow_identifier_is_a_message(team, editor):
    response = editor.post(
        f"/api/projects/{team.project.slug}/workflows/", {"identifier": "package-build"}, format="json"
    )
    assert response.status_code == 400
    assert "already has a workflow" in response.json()["identifier"][0]


def test_an_identifier_differing_only_in_dash_or_underscore_is_a_message(team, editor):
    response = editor.post(
        f"/api/projects/{team.project.slug}/workflows/", {"identifier": "package_build"}, format="json"
    )
    assert response.status_code == 400
    assert "would share one generated Python module" in response.json()["identifier"][0]
    assert not team.project.workflows.filter(identifier="package_build").exists()


def test_deleting_a_workflow_seen_at_an_older_version_is_a_conflict(team, editor, wf_url):
    response = editor.delete(f"{wf_url}/", HTTP_IF_MATCH=f'"{team.workflow.version - 1 or 99}"')
    assert response.status_code == 409
    assert "was changed by someone else" in response.json()["detail"]
    assert team.project.workflows.filter(pk=team.workflow.pk).exists()


def test_deleting_a_workflow_removes_its_graph_and_revisions(team, editor, wf_url):
    workflow = team.workflow
    assert workflow.nodes.exists() and workflow.revisions.exists()
    response = editor.delete(f"{wf_url}/", HTTP_IF_MATCH=f'"{workflow.version}"')
    assert response.status_code == 204
    assert not Node.objects.filter(workflow_id=workflow.pk).exists()
    assert not team.project.workflows.filter(pk=workflow.pk).exists()
    assert editor.delete(f"{wf_url}/").status_code == 404
