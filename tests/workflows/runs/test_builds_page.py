"""The builds page: every build with its status, who deployed it, each workflow's revision; rollback for editors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compiler.builds.deploy import deploy_project
from compiler.models import Deployment, DeploymentStatus
from tests.compiler.conftest import temporal_address  # noqa: F401 - fixture
from tests.compiler.deploy_graphs import broken_document, gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.editor_support import client_for
from workflows.services import graph_replace


@pytest.fixture
def gates(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    editor, viewer = make_user(), make_user()
    project = make_project(make_user(), name="Built Gates", editors=[editor], viewers=[viewer])
    return project, make_workflow_from_document(project, gate_document()), editor, viewer


def builds_url(project) -> str:
    return reverse("workflows:builds", args=(project.slug,))


def rollback_url(project, build_id: str) -> str:
    return reverse("workflows:build-rollback", args=(project.slug, build_id))


@pytest.mark.temporal
def test_builds_list_revisions_and_an_editor_rolls_back(gates, temporal_address):  # noqa: F811 - the fixture
    project, gate, editor, viewer = gates
    first = deploy_project(project, editor, activation_wait=0).deployment
    make_workflow_from_document(project, broken_document())
    graph_replace(workflow=gate, user=editor, expected_version=None, document=gate_document(result="v2"), message="")
    second = deploy_project(project, editor, activation_wait=0).deployment

    page = client_for(viewer).get(builds_url(project)).content.decode()
    assert page.index(f"build-{second.build_id}") < page.index(f"build-{first.build_id}"), "newest first"
    newer = page[page.index(f'id="build-{second.build_id}"') : page.index(f'id="build-{first.build_id}"')]
    assert f"by {editor.username}" in newer
    assert f"<tr><td><code>gate</code></td><td>{gate.version}</td><td>changed</td></tr>" in newer
    assert "broken" not in newer, "a workflow that never validated is in no build"
    assert "Make current again" not in page, "viewers do not roll back"
    assert client_for(viewer).post(rollback_url(project, first.build_id)).status_code == 403

    editor_page = client_for(editor).get(builds_url(project)).content.decode()
    assert editor_page.count("Make current again") == 1, "only the older build can be made current again"
    response = client_for(editor).post(rollback_url(project, first.build_id))
    assert response.status_code == 200
    assert f"Redeployed build {first.build_id}" in response.content.decode()
    assert f"gate: revision {gate.version - 1} of build {first.build_id} (changed)" in response.content.decode()
    first.refresh_from_db()
    assert first.status in (DeploymentStatus.PENDING, DeploymentStatus.CURRENT)
    assert Deployment.objects.filter(project=project).order_by("-deployed").first() == first


def test_an_unknown_build_is_refused_and_outsiders_see_nothing(gates):
    project, _, editor, _ = gates
    response = client_for(editor).post(rollback_url(project, "abc123"))
    assert response.status_code == 400 and "has no build abc123 (builds: none)" in response.content.decode()
    assert client_for(make_user()).get(builds_url(project)).status_code == 404


@pytest.mark.temporal
def test_two_builds_compare_by_graph_and_code(gates, temporal_address):  # noqa: F811 - the fixture
    project, gate, editor, viewer = gates
    first = deploy_project(project, editor, activation_wait=0).deployment
    document = gate_document(result="v2", warm_up=False)
    graph_replace(workflow=gate, user=editor, expected_version=None, document=document, message="")
    second = deploy_project(project, editor, activation_wait=0).deployment
    builds = client_for(viewer).get(builds_url(project)).content.decode()
    compare = reverse("workflows:builds-compare", args=(project.slug,))
    assert f'href="{compare}?from={first.build_id}&amp;to={second.build_id}"' in builds

    page = client_for(viewer).get(f"{compare}?from={first.build_id}&to={second.build_id}")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<span class="badge">changed</span>' in html
    assert "node <code>warm-up</code> removed" in html
    assert "node <code>done</code> changed: position, config.result" in html
    assert "edge <code>start -next-&gt; warm-up</code> removed" in html
    assert f"{first.build_id}/gate.py" in html and "v2" in html, "the code diff of the two builds"

    unknown = client_for(viewer).get(f"{compare}?from={first.build_id}&to=nope")
    assert unknown.status_code == 400 and "has no build &#x27;nope&#x27;" in unknown.content.decode()


@pytest.mark.temporal
def test_the_project_page_card_says_what_each_workflow_is(gates, temporal_address):  # noqa: F811 - the fixture
    project, gate, editor, viewer = gates
    make_workflow_from_document(project, gate_document(identifier="later"))
    deploy_project(project, editor, activation_wait=0)
    make_workflow_from_document(project, broken_document())
    make_workflow_from_document(project, gate_document(identifier="fresh"))
    graph_replace(workflow=gate, user=editor, expected_version=None, document=gate_document(result="v2"), message="")
    states_url = reverse("workflows:workflow-states", args=(project.slug,))
    page = client_for(viewer).get(reverse("projects:detail", args=(project.slug,))).content.decode()
    assert f'hx-get="{states_url}" hx-trigger="load"' in page

    card = client_for(viewer).get(states_url).content.decode()
    rows = {
        key: card[card.index(f'id="state-{key}"') :].split("</li>", 1)[0]
        for key in ("broken", "fresh", "gate", "later")
    }
    assert '<strong>has errors</strong> <span class="muted">(1 error)</span>' in rows["broken"]
    assert "<strong>never deployed</strong>" in rows["fresh"]
    assert "<strong>changed since deploy</strong>" in rows["gate"] and "1 change not deployed" in rows["gate"]
    assert "<strong>deployed</strong>" in rows["later"]
