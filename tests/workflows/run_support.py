"""A deployed greeter project with a real `run_worker`, for the run page and run API tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from compiler.builds.deploy import deploy_project
from projects.models import Project
from tests.compiler.conftest import start_worker, temporal_address  # noqa: F401 - fixtures used below
from tests.compiler.run_documents import greeter_document
from tests.factories import make_project, make_user, make_workflow_from_document


@dataclass
class Greeters:
    project: Project
    users: dict


@pytest.fixture
def greeters(start_worker, settings) -> Greeters:  # noqa: F811 - the fixture imported above
    """Owner, editor, viewer and an outsider; the greeter workflow deployed, current and served."""
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    users = {role: make_user() for role in ("owner", "editor", "viewer", "outsider")}
    project = make_project(users["owner"], name="Greeters", editors=[users["editor"]], viewers=[users["viewer"]])
    make_workflow_from_document(project, greeter_document())
    worker = start_worker(project.slug)
    deployed = deploy_project(project, users["owner"], activation_wait=20)
    assert deployed.deployment.status == "current", worker.output
    return Greeters(project, users)
