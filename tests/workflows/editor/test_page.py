"""The editor page: what members see, what viewers cannot do, and a query count independent of graph size."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_project, make_user, make_workflow_from_document, sample_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user()


def editor_url(workflow) -> str:
    return reverse("workflows:editor", args=(workflow.project.slug, workflow.identifier))


def test_editor_page_draws_every_node_with_palette_inspector_and_diagnostics(client, owner):
    workflow = make_workflow_from_document(make_project(owner))
    client.force_login(owner)
    response = client.get(editor_url(workflow))
    assert response.status_code == 200
    html = response.content.decode()
    assert set(re.findall(r'id="node-([^"]+)"', html)) == set(workflow.nodes.values_list("key", flat=True))
    for region in ("editor-toolbar", "editor-palette", "canvas", "inspector", "diagnostics"):
        assert f'id="{region}"' in html
    assert 'name="type" value="retry_block"' in html  # palette lists every node type
    assert "Every 30 minutes" in html


def _queries(client, workflow) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(editor_url(workflow) + "?node=check").status_code == 200
    return len(captured)


def test_editor_page_query_count_does_not_grow_with_the_graph(client, owner):
    project = make_project(owner)
    small = make_workflow_from_document(project, sample_document("small"))
    large = make_workflow_from_document(project, sample_document("large", extra_steps=289))
    assert small.nodes.count() == 11 and large.nodes.count() == 300
    client.force_login(owner)
    assert _queries(client, small) == _queries(client, large)


def test_editor_page_preselects_a_node_and_ignores_unknown_ones(client, owner):
    workflow = make_workflow_from_document(make_project(owner))
    client.force_login(owner)
    html = client.get(editor_url(workflow) + "?node=exists").content.decode()
    assert "Condition <code>exists</code>" in html
    assert 'class="node node--condition shape--diamond is-selected"' in html
    html = client.get(editor_url(workflow) + "?node=nope").content.decode()
    assert "Select a node" in html
