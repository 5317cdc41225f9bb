"""Optimistic locking in the editor: a stale form gets a conflict message, never a silent overwrite."""

from __future__ import annotations

import pytest

from tests.workflows.editor_support import client_for, htmx, url

pytestmark = pytest.mark.django_db


def test_two_sessions_edit_the_same_workflow_and_the_second_save_gets_the_conflict(team):
    first, second = client_for(team.user("editor")), client_for(team.user("owner"))
    for client in (first, second):
        page = client.get(url(team.workflow, "editor") + "?node=exists").content.decode()
        assert 'name="version" value="1"' in page

    saved = htmx(
        first,
        "post",
        url(team.workflow, "editor-node-update"),
        {"version": 1, "node": "exists", "label": "Exists (first)", "cfg-expression": "exists['a']"},
    )
    assert saved.status_code == 200

    stale = htmx(
        second,
        "post",
        url(team.workflow, "editor-node-update"),
        {"version": 1, "node": "exists", "label": "Exists (second)", "cfg-expression": "exists['b']"},
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "was changed by someone else (you had version 1, it is now 2)" in html
    assert "Reload the editor" in html
    # Only the message region is swapped: the second user's inputs stay on their screen.
    assert 'id="inspector"' not in html and 'id="canvas"' not in html
    node = team.workflow.nodes.get(key="exists")
    assert (node.label, node.config["expression"]) == ("Exists (first)", "exists['a']")
    team.workflow.refresh_from_db()
    assert team.workflow.version == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("editor-node-add", {"type": "timer"}),
        ("editor-node-move", {"node": "exists", "container": "prepare:body"}),
        ("editor-node-delete", {"node": "exists"}),
        ("editor-edge-add", {"source": "start", "target": "done", "kind": "next"}),
        ("editor-edge-delete", {"source": "exists", "target": "done", "kind": "false"}),
    ],
)
def test_every_edit_with_a_stale_or_missing_version_is_refused(team, name, data):
    client = client_for(team.user("editor"))
    htmx(client, "post", url(team.workflow, "editor-node-add"), {"type": "timer", "version": 1, "label": "Wait"})
    before = sorted(team.workflow.nodes.values_list("key", "parent__key"))
    edges_before = team.workflow.edges.count()
    for version in ("1", "", "x"):
        response = htmx(client, "post", url(team.workflow, name), {**data, "version": version})
        assert response.status_code == 409, version
        assert "Reload" in response.content.decode()
    assert sorted(team.workflow.nodes.values_list("key", "parent__key")) == before
    assert team.workflow.edges.count() == edges_before
