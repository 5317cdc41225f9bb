"""POST /api/projects/<slug>/deploy/: the deploy (strict or not) and the rollback, on a real dev server."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from compiler.models import Deployment
from tests.compiler.conftest import temporal_address  # noqa: F401 - fixture
from tests.compiler.deploy_graphs import broken_document, gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.services import graph_replace


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.temporal
def test_deploy_strict_and_rollback_through_the_api(db, settings, temporal_address):  # noqa: F811 - the fixture
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    editor, viewer, outsider = make_user(), make_user(), make_user()
    project = make_project(make_user(), name="Api Gates", editors=[editor], viewers=[viewer])
    gate = make_workflow_from_document(project, gate_document())
    make_workflow_from_document(project, broken_document())
    url = f"/api/projects/{project.slug}/deploy/"

    assert api(viewer).post(url, {}, format="json").status_code == 403
    assert api(outsider).post(url, {}, format="json").status_code == 404
    assert api(editor).post(url, {"build": "not a build"}, format="json").status_code == 400

    strict = api(editor).post(url, {"strict": True}, format="json")
    assert strict.status_code == 400 and not strict.data["ok"], strict.data
    assert strict.data["message"].startswith("Not deployed: strict deploy: 1 error(s)")
    assert any("no_such_activity" in line for line in strict.data["diagnostics"]["broken"])
    assert not Deployment.objects.filter(project=project).exists()

    first = api(editor).post(url, {}, format="json")
    assert first.status_code == 201, first.data
    assert first.data["workflows"] == ["broken: not included: 1 error", f"gate: revision {gate.version} (added)"]
    assert first.data["build_id"] == Deployment.objects.get(project=project).build_id

    graph_replace(workflow=gate, user=editor, expected_version=None, document=gate_document(result="v2"), message="")
    assert api(editor).post(url, {}, format="json").status_code == 201
    back = api(editor).post(url, {"build": first.data["build_id"]}, format="json")
    assert back.status_code == 200 and back.data["ok"], back.data
    assert back.data["message"].startswith(f"Redeployed build {first.data['build_id']}")
    assert back.data["workflows"] == [f"gate: revision {gate.version - 1} of build {first.data['build_id']} (changed)"]
