"""Editor endpoints for direct manipulation: insert on an edge, add after, delete and reconnect, ports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project, make_workflow_from_document, sample_document
from tests.workflows.editor_support import client_for, htmx, url

pytestmark = pytest.mark.django_db


def edge_names(workflow) -> set[str]:
    return {str(edge) for edge in workflow.edges.select_related("source", "target")}


def test_editors_see_a_port_per_edge_kind_and_edges_carry_their_kind(team):
    html = client_for(team.user("editor")).get(url(team.workflow, "editor")).content.decode()
    assert 'data-node="exists" data-port="true"' in html and 'data-node="exists" data-port="false"' in html
    assert 'data-node="check" data-port="error"' in html
    assert 'data-node="done" data-port' not in html  # an end node starts no edge
    assert 'data-source="exists" data-target="build" data-kind="true"' in html
    assert 'class="edge-hit"' in html and "data-insert-url=" in html
    viewer = client_for(team.user("viewer")).get(url(team.workflow, "editor")).content.decode()
    assert "data-port=" not in viewer and "edge-hit" not in viewer


def test_dropping_a_palette_item_on_an_edge_inserts_the_node_there(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-insert"),
        {"version": 1, "type": "timer", "source": "exists", "target": "done", "kind": "false"},
    )
    assert response.status_code == 200
    assert "Inserted Timer &#x27;Timer&#x27; between exists and done." in response.content.decode()
    assert {"exists -false-> timer", "timer -next-> done"} <= edge_names(team.workflow)
    assert "exists -false-> done" not in edge_names(team.workflow)


def test_insert_on_a_stale_page_is_a_conflict_and_a_gone_edge_a_message(team):
    client = client_for(team.user("editor"))
    data = {"version": 1, "type": "timer", "source": "start", "target": "prepare", "kind": "next"}
    assert htmx(client, "post", url(team.workflow, "editor-node-insert"), data).status_code == 200
    other_edge = {"source": "exists", "target": "done", "kind": "false"}
    stale = htmx(client, "post", url(team.workflow, "editor-node-insert"), {**data, **other_edge})
    assert stale.status_code == 409
    assert "was changed by someone else" in stale.content.decode()
    gone = htmx(client, "post", url(team.workflow, "editor-node-insert"), {**data, "version": 2})
    assert gone.status_code == 422
    assert "There is no next edge start -&gt; prepare (any more)." in gone.content.decode()
    assert team.workflow.nodes.filter(type="timer").count() == 1


def test_add_after_creates_and_connects_in_one_step(team):
    client = client_for(team.user("editor"))
    page = client.get(url(team.workflow, "editor") + "?node=check").content.decode()
    assert 'id="add-after-type"' in page and "Add after Check" in page
    response = htmx(
        client, "post", url(team.workflow, "editor-node-add-after"), {"version": 1, "node": "check", "type": "timer"}
    )
    assert response.status_code == 200
    assert "Added Timer &#x27;Timer&#x27; after &#x27;check&#x27; (next)." in response.content.decode()
    assert "check -next-> timer" in edge_names(team.workflow)
    assert 'class="node node--timer shape--card is-selected"' in response.content.decode()
    onto = htmx(
        client,
        "post",
        url(team.workflow, "editor-node-add-after"),
        {"version": 2, "node": "exists", "kind": "false", "type": "activity"},
    )
    assert "before &#x27;done&#x27;" in onto.content.decode()
    assert {"exists -false-> activity", "activity -next-> done"} <= edge_names(team.workflow)
    refused = htmx(
        client, "post", url(team.workflow, "editor-node-add-after"), {"version": 3, "node": "done", "type": "timer"}
    )
    assert refused.status_code == 422
    assert "cannot have outgoing edges" in refused.content.decode()


def test_delete_reconnects_and_says_so(team):
    client = client_for(team.user("editor"))
    htmx(
        client,
        "post",
        url(team.workflow, "editor-node-insert"),
        {"version": 1, "type": "timer", "source": "start", "target": "prepare", "kind": "next"},
    )
    response = htmx(client, "post", url(team.workflow, "editor-node-delete"), {"version": 2, "node": "timer"})
    assert response.status_code == 200
    assert "Deleted &#x27;timer&#x27; and connected start -next-&gt; prepare. Undo brings it back." in (
        response.content.decode()
    )
    assert "start -next-> prepare" in edge_names(team.workflow)
    plain = htmx(client, "post", url(team.workflow, "editor-node-delete"), {"version": 3, "node": "exists"})
    assert "Deleted &#x27;exists&#x27;. Undo brings it back." in plain.content.decode()
    nothing = htmx(client, "post", url(team.workflow, "editor-node-delete"), {"version": 4, "node": ""})
    assert nothing.status_code == 422 and "Choose the node to delete." in nothing.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("editor-node-insert", {"type": "timer", "source": "start", "target": "prepare", "kind": "next"}),
        ("editor-node-add-after", {"type": "timer", "node": "start"}),
        ("editor-node-delete", {"node": "check"}),
    ],
)
def test_an_edit_costs_the_same_queries_at_11_and_300_nodes(team, name, data):
    """Each round trip reads the graph in a fixed number of queries, so its time follows the render, not the size."""
    owner = team.user("editor")
    project = make_project(owner)
    small = make_workflow_from_document(project, sample_document("small"))
    large = make_workflow_from_document(project, sample_document("large", extra_steps=289))
    assert large.nodes.count() == 300
    client = client_for(owner)

    def queries(workflow) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert htmx(client, "post", url(workflow, name), {**data, "version": 1}).status_code == 200
        return len(captured)

    assert queries(small) == queries(large)
