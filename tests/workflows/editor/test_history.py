"""Undo and redo from the revision history."""

from __future__ import annotations

import pytest

from tests.workflows.editor_support import client_for, htmx, url
from workflows.editor.history import History, history_targets


def test_history_without_restores_undoes_the_last_save():
    assert history_targets([(1, "created"), (2, "added a"), (3, "added b")]) == History(undo=2, redo=None)
    assert history_targets([(1, "created")]) == History(undo=None, redo=None)


def test_undo_undo_redo_then_a_new_save_drops_the_redo():
    revisions = [(1, "created"), (2, "added a"), (3, "added b"), (4, "restored revision 2")]
    assert history_targets(revisions) == History(undo=1, redo=3)
    revisions.append((5, "restored revision 1"))
    assert history_targets(revisions) == History(undo=None, redo=2)
    revisions.append((6, "restored revision 2"))
    assert history_targets(revisions) == History(undo=1, redo=3)
    revisions.append((7, "added c"))
    assert history_targets(revisions) == History(undo=2, redo=None)


def test_restoring_an_unrelated_revision_counts_as_a_save():
    revisions = [(1, "created"), (2, "a"), (3, "b"), (4, "c"), (5, "restored revision 2")]
    assert history_targets(revisions) == History(undo=4, redo=None)


@pytest.mark.django_db
def test_undo_and_redo_endpoints_restore_the_graph(team):
    client = client_for(team.user("editor"))
    htmx(client, "post", url(team.workflow, "editor-node-delete"), {"version": 1, "node": "done"})
    assert not team.workflow.nodes.filter(key="done").exists()

    response = htmx(client, "post", url(team.workflow, "editor-undo"), {"version": 2})
    assert response.status_code == 200
    assert team.workflow.nodes.filter(key="done").exists()
    assert team.workflow.edges.filter(source__key="exists", target__key="done", kind="false").exists()
    assert "Undo: back to revision 1." in response.content.decode()

    response = htmx(client, "post", url(team.workflow, "editor-redo"), {"version": 3})
    assert response.status_code == 200
    assert not team.workflow.nodes.filter(key="done").exists()
    assert 'title="Nothing to redo"' in response.content.decode()


@pytest.mark.django_db
def test_nothing_to_undo_is_a_422(team):
    response = htmx(client_for(team.user("editor")), "post", url(team.workflow, "editor-undo"), {"version": 1})
    assert response.status_code == 422
    assert "Nothing to undo." in response.content.decode()
