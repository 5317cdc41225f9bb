"""Copy and paste in the editor: a session clipboard across workflows and projects, hostile documents refused."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_project, make_workflow_from_document, sample_document
from tests.workflows.editor_support import client_for, htmx, url

pytestmark = pytest.mark.django_db


def test_copy_then_paste_twice_in_the_same_workflow_gives_fresh_keys(team):
    client = client_for(team.user("editor"))
    copied = htmx(client, "post", url(team.workflow, "editor-copy"), {"node": ["build", "exists"]})
    assert copied.status_code == 200
    assert "Copied 4 nodes" in copied.content.decode()
    assert '<button type="submit" data-shortcut="paste"' in copied.content.decode()
    first = htmx(client, "post", url(team.workflow, "editor-paste"), {"version": 1})
    assert first.status_code == 200
    assert "Pasted 4 nodes (exists-2, build-2, compile-2, fix-2)" in first.content.decode()
    htmx(client, "post", url(team.workflow, "editor-paste"), {"version": 2, "into": "prepare:body"})
    pasted = team.workflow.nodes.filter(key__in=["exists-3", "build-3"]).select_related("parent")
    assert {node.parent.key for node in pasted} == {"prepare"}
    assert team.workflow.edges.filter(source__key="compile-3").count() == 0
    assert team.workflow.nodes.get(key="compile-3").parent.key == "build-3"


def test_a_viewer_copies_and_pastes_where_they_are_an_editor_but_not_where_they_view(team):
    viewer = team.user("viewer")
    own = make_workflow_from_document(make_project(viewer, name="Mine"), sample_document("mine"))
    client = client_for(viewer)
    assert htmx(client, "post", url(team.workflow, "editor-copy"), {"node": "check"}).status_code == 200
    refused = htmx(client, "post", url(team.workflow, "editor-paste"), {"version": 1})
    assert refused.status_code == 403
    response = htmx(client, "post", url(own, "editor-paste"), {"version": 1})
    assert response.status_code == 200
    assert own.nodes.filter(key="check-2", type="activity").exists()
    assert not team.workflow.nodes.filter(key="check-2").exists()


def test_paste_with_nothing_copied_or_a_stale_page(team):
    client = client_for(team.user("editor"))
    page = client.get(url(team.workflow, "editor")).content.decode()
    assert 'data-shortcut="paste" aria-keyshortcuts="Control+V Meta+V" disabled' in page
    empty = htmx(client, "post", url(team.workflow, "editor-paste"), {"version": 1})
    assert empty.status_code == 400
    assert "nothing is copied yet" in empty.content.decode()
    htmx(client, "post", url(team.workflow, "editor-copy"), {"node": "check"})
    stale = htmx(client, "post", url(team.workflow, "editor-paste"), {"version": 5})
    assert stale.status_code == 409
    assert not team.workflow.nodes.filter(key="check-2").exists()
    unknown = htmx(client, "post", url(team.workflow, "editor-copy"), {"node": "nope"})
    assert unknown.status_code == 422 and "Select a node to copy" in unknown.content.decode()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "the pasted text is not JSON copied from the editor."),
        ("[" * 100_000, "the pasted text is not JSON"),
        ("x" * 1_000_001, "longer than 1,000,000 characters"),
        (json.dumps({"nodes": [{"key": "a", "type": "timer"}]}), "not a copied part of a workflow"),
        (
            json.dumps({"format": "workflow-studio/fragment-v1", "nodes": [{"key": "a", "type": "os.system"}]}),
            "a: Unknown node type &#x27;os.system&#x27;",
        ),
        (
            json.dumps(
                {
                    "format": "workflow-studio/fragment-v1",
                    "nodes": [{"key": "a", "type": "timer", "config": {"duration": "1"}, "label": "x" * 201}],
                }
            ),
            "a: label must be at most 200 characters",
        ),
    ],
)
def test_a_hostile_pasted_document_is_a_400_with_a_message(team, document, message):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-paste"),
        {"version": 1, "document": document},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    team.workflow.refresh_from_db()
    assert team.workflow.version == 1


def test_a_pasted_document_in_a_container_that_cannot_hold_it_is_a_422(team):
    timer = {"key": "a", "type": "timer", "config": {"duration": "1"}}
    document = json.dumps({"format": "workflow-studio/fragment-v1", "nodes": [timer]})
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-paste"),
        {"version": 1, "document": document, "into": "build:nowhere"},
    )
    assert response.status_code == 422
    assert "holds nodes in body, remediation, not in &#x27;nowhere&#x27;" in response.content.decode()
