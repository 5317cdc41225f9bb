"""The admin's workflow change page shows the same SVG as the editor, read-only."""

import re

import pytest
from django.urls import reverse

from tests.admin_support import staff_client

pytestmark = pytest.mark.django_db


def test_admin_change_page_shows_the_graph_preview(team):
    change_url = reverse("admin:workflows_workflow_change", args=[team.workflow.pk])
    response = staff_client(team.user("viewer")).get(change_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Graph (version 1)" in html
    assert set(re.findall(r'id="node-([^"]+)"', html)) == set(team.workflow.nodes.values_list("key", flat=True))
    assert "hx-get" not in html.split('class="workflow-preview"')[1].split("</svg>")[0]
    assert reverse("workflows:editor", args=(team.project.slug, team.workflow.identifier)) in html


def test_admin_add_page_has_no_preview(team):
    response = staff_client(team.user("owner")).get(reverse("admin:workflows_workflow_add"))
    assert response.status_code == 200
    assert 'class="workflow-preview"' not in response.content.decode()
