"""The editor's toolbar says how the draft differs from the newest build (issue 14 item 3's indicator)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compiler.builds.deploy import deploy_project
from tests.compiler.conftest import temporal_address  # noqa: F401 - fixture
from tests.compiler.deploy_graphs import gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.editor_support import client_for, url
from workflows.services import graph_replace


@pytest.fixture
def gate(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    return make_workflow_from_document(make_project(make_user(), name="Gates"), gate_document())


def status(client, workflow) -> str:
    page = client.get(url(workflow, "editor")).content.decode()
    start = page.index('<span class="draft-status')
    return page[page.index(">", start) + 1 : page.index("</span>", start)]


def replace(workflow, document: dict) -> None:
    graph_replace(workflow=workflow, user=None, expected_version=None, document=document, message="edit")


def editor_queries(client, workflow) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(workflow, "editor")).status_code == 200
    return len(captured)


def test_the_toolbar_says_what_is_not_deployed(gate, temporal_address):  # noqa: F811 - the fixture
    client = client_for(gate.project.owner)
    assert status(client, gate) == "not in any build yet"

    build = deploy_project(gate.project, gate.project.owner, activation_wait=0).deployment.build_id
    assert status(client, gate) == f"deployed as it is (build {build})"
    queries = editor_queries(client, gate)

    replace(gate, gate_document(result="v2"))
    assert status(client, gate) == f"1 change not deployed (build {build})"
    replace(gate, gate_document(result="v2", warm_up=False))
    # warm-up goes, wait and done move up a position; two edges go, start -> wait comes
    assert status(client, gate) == f"6 changes not deployed (build {build})"

    second = deploy_project(gate.project, gate.project.owner, activation_wait=0).deployment.build_id
    assert status(client, gate) == f"deployed as it is (build {second})"
    assert editor_queries(client, gate) == queries, "the editor reads more with more builds and revisions"


def test_the_draft_page_draws_both_graphs_and_the_changes(gate, temporal_address):  # noqa: F811 - the fixture
    client = client_for(gate.project.owner)
    changes = reverse("workflows:draft-changes", args=(gate.project.slug, gate.identifier))
    page = client.get(changes).content.decode()
    assert 'id="not-built"' in page and 'id="deployed-graph"' not in page and 'id="node-warm-up"' in page
    assert f'href="{changes}"' in client.get(url(gate, "editor")).content.decode(), "the toolbar links to it"

    build = deploy_project(gate.project, gate.project.owner, activation_wait=0).deployment.build_id
    replace(gate, gate_document(result="v2", warm_up=False))
    page = client.get(changes).content.decode()
    deployed = page[page.index('id="deployed-graph"') : page.index('id="draft-graph"')]
    draft = page[page.index('id="draft-graph"') : page.index('id="compare-gate"')]
    assert 'id="node-warm-up"' in deployed and 'id="node-warm-up"' not in draft
    assert re.search(r'class="[^"]*diff-removed" id="node-warm-up"', deployed), "removed nodes marked"
    assert re.search(r'class="[^"]*diff-changed" id="node-done"', draft), "changed nodes marked"
    assert "edge edge--next diff-added" in draft and "edge edge--next diff-removed" in deployed
    assert f"build <code>{build}</code>" in page and '<span class="badge">changed</span>' in page
    assert "node <code>warm-up</code> removed" in page and f"{build}/gate.py" in page

    replace(gate, {**gate_document(), "nodes": [*gate_document()["nodes"], _mystery()]})
    assert 'id="draft-errors"' in client.get(changes).content.decode()


def _mystery() -> dict:
    return {"key": "mystery", "type": "activity", "label": "?", "config": {"activity": "no_such_activity"}}
