"""The editor's deploy button against a real Temporal dev server (and without one)."""

from __future__ import annotations

import pytest

from compiler.models import Deployment
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.editor.test_code import TINY
from tests.workflows.editor_support import client_for, htmx, url


@pytest.fixture
def tiny(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    return make_workflow_from_document(make_project(make_user(), name="Tiny"), TINY)


@pytest.mark.temporal
def test_deploy_stores_a_build_and_reports_it(tiny, settings, temporal_env):
    settings.TEMPORAL_ADDRESS = temporal_env.client.service_client.config.target_host
    client = client_for(tiny.project.owner)
    response = htmx(client, "post", url(tiny, "editor-deploy"), {"version": tiny.version})
    assert response.status_code == 200
    deployment = Deployment.objects.get(project=tiny.project)
    html = response.content.decode()
    assert f"Build <code>{deployment.build_id}</code> is {deployment.status}" in html
    assert "Replay check: no running executions of changed workflows." in html
    page = client.get(url(tiny, "editor")).content.decode()
    assert '<code title="deployed' in page and deployment.build_id in page


@pytest.mark.temporal
def test_deploy_swaps_in_the_toolbar_naming_the_new_build(tiny, settings, temporal_env):
    settings.TEMPORAL_ADDRESS = temporal_env.client.service_client.config.target_host
    client = client_for(tiny.project.owner)
    assert "not deployed yet" in client.get(url(tiny, "editor")).content.decode()
    response = htmx(client, "post", url(tiny, "editor-deploy"), {"version": tiny.version, "node": "nap"})
    assert response.status_code == 200
    deployment = Deployment.objects.get(project=tiny.project)
    html = response.content.decode()
    toolbar = html[html.index('<div id="editor-toolbar"') :]
    assert toolbar.startswith('<div id="editor-toolbar" class="editor-toolbar" role="toolbar"')
    assert 'hx-swap-oob="true"' in toolbar.split(">", 1)[0]
    assert f">{deployment.build_id}</code> {deployment.status}" in toolbar
    assert "not deployed yet" not in toolbar
    assert "?node=nap" in toolbar, "the Validate button keeps the node the inspector shows"


def test_deploy_without_temporal_explains_and_stores_nothing(tiny, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    response = htmx(client_for(tiny.project.owner), "post", url(tiny, "editor-deploy"), {"version": tiny.version})
    assert response.status_code == 503
    assert "Not deployed:" in response.content.decode()
    assert not Deployment.objects.filter(project=tiny.project).exists()
