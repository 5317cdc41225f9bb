"""Editor edge edits: add from the inspector or by picking the target on the canvas, remove."""

from __future__ import annotations

import pytest

from tests.workflows.editor_support import client_for, htmx, url

pytestmark = pytest.mark.django_db


def test_add_edge_from_the_inspector(team):
    client = client_for(team.user("editor"))
    htmx(client, "post", url(team.workflow, "editor-node-add"), {"type": "timer", "version": 1})
    response = htmx(
        client,
        "post",
        url(team.workflow, "editor-edge-add"),
        {"version": 2, "source": "done", "target": "timer", "kind": "next"},
    )
    assert response.status_code == 422  # an end node has no outgoing edges
    assert "An End node finishes the workflow and cannot have outgoing edges" in response.content.decode()
    response = htmx(
        client,
        "post",
        url(team.workflow, "editor-edge-add"),
        {"version": 2, "source": "timer", "target": "done", "kind": "next"},
    )
    assert response.status_code == 200
    assert team.workflow.edges.filter(source__key="timer", target__key="done", kind="next").exists()
    assert 'data-source="timer" data-target="done"' in response.content.decode()


def test_edges_across_containers_are_refused_with_422(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-edge-add"),
        {"version": 1, "source": "check", "target": "done", "kind": "error"},
    )
    assert response.status_code == 422
    assert "crosses containers" in response.content.decode()
    assert not team.workflow.edges.filter(source__key="check", kind="error").exists()


def test_pick_source_then_target_turns_every_node_into_a_target(team):
    client = client_for(team.user("editor"))
    response = htmx(client, "get", url(team.workflow, "editor-connect"), {"node": "exists", "kind": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Click the target of the <strong>true</strong> edge" in html
    assert '"source": "exists", "target": "done", "kind": "true"' in html
    refused = htmx(client, "get", url(team.workflow, "editor-connect"), {"node": "exists", "kind": "next"})
    assert refused.status_code == 422
    assert "cannot start a &#x27;next&#x27; edge (allowed: true, false)" in refused.content.decode()


def test_remove_edge(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-edge-delete"),
        {"version": 1, "source": "exists", "target": "done", "kind": "false"},
    )
    assert response.status_code == 200
    assert not team.workflow.edges.filter(source__key="exists", kind="false").exists()
    assert 'data-source="exists" data-target="done"' not in response.content.decode()
    gone = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-edge-delete"),
        {"version": 2, "source": "exists", "target": "done", "kind": "false"},
    )
    assert gone.status_code == 422
    assert "This edge no longer exists." in gone.content.decode()
