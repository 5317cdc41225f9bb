"""The editor's deploy button against a real Temporal dev server (and without one)."""

from __future__ import annotations

import pytest

from compiler.models import Deployment
from tests.compiler.deploy_graphs import broken_document
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


@pytest.mark.temporal
def test_deploy_names_what_each_workflow_got_and_the_strict_box_refuses(tiny, settings, temporal_env):
    """A second workflow that never validated: the plain deploy ships tiny without it, the strict one refuses."""
    settings.TEMPORAL_ADDRESS = temporal_env.client.service_client.config.target_host
    make_workflow_from_document(tiny.project, broken_document())
    client = client_for(tiny.project.owner)
    page = client.get(url(tiny, "editor")).content.decode()
    assert '<input type="checkbox" name="strict" value="1">' in page

    strict = htmx(client, "post", url(tiny, "editor-deploy"), {"version": tiny.version, "strict": "1"})
    assert strict.status_code == 422
    assert "Not deployed: strict deploy: 1 error(s) must be fixed first" in strict.content.decode()
    assert not Deployment.objects.filter(project=tiny.project).exists()

    plain = htmx(client, "post", url(tiny, "editor-deploy"), {"version": tiny.version})
    assert plain.status_code == 200
    html = plain.content.decode()
    assert f"<li>{tiny.identifier}: revision {tiny.version} (added)</li>" in html
    assert "<li>broken: not included: 1 error</li>" in html
    assert list(Deployment.objects.get(project=tiny.project).sources) == [tiny.identifier]
