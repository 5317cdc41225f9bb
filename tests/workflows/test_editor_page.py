"""The editor page: what members see, what viewers cannot do, and a query count independent of graph size."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_project, make_user, make_workflow_from_document

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
