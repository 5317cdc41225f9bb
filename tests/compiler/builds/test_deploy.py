"""deploy_project: content-addressed, immutable builds; refusals (`strict`) write nothing."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from compiler.builds.deploy import changes_between, deploy_project
from compiler.builds.loader import build_id_for, load_workflows
from compiler.models import Deployment, DeploymentStatus, ImmutableDeployment, newest_deployment
from tests.compiler.conftest import BUILTIN_ACTIVITIES, MANAGE_PY, subprocess_env
from tests.compiler.deploy_graphs import broken_document, gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.models import Workflow
from workflows.services import graph_replace


@pytest.fixture
def project(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = [BUILTIN_ACTIVITIES]
    project = make_project(make_user(), name="Gates")
    make_workflow_from_document(project, gate_document())
    return project


def test_build_id_is_a_short_hash_of_the_sources_in_any_order():
    first = build_id_for({"a": "print(1)", "b": "print(2)"})
    assert first == build_id_for({"b": "print(2)", "a": "print(1)"})
    assert first != build_id_for({"a": "print(1)", "b": "print(3)"})
    assert len(first) == 12 and int(first, 16) >= 0


def test_changes_name_every_workflow_once():
    old = {"kept": "x", "edited": "1", "dropped": "y"}
    new = {"kept": "x", "edited": "2", "fresh": "z"}
    assert changes_between(old, new) == {
        "dropped": "removed",
        "edited": "changed",
        "fresh": "added",
        "kept": "unchanged",
    }


def test_first_deploy_stores_a_pending_build_until_a_worker_serves_it(project, temporal_address, tmp_path):
    result = deploy_project(project, project.owner, activation_wait=0)
    assert result.created and result.ok
    deployment = result.deployment
    assert deployment.status == DeploymentStatus.PENDING
    assert deployment.build_id == build_id_for(deployment.sources)
    assert list(deployment.sources) == ["gate"]
    assert load_workflows(deployment.sources, tmp_path)["gate"].__name__ == "Gate"
    assert [path.name for path in tmp_path.iterdir()] == [f"wfgen_{deployment.build_id}"]
    assert result.changed == {"gate": "added"} == deployment.changed
    assert "pending until a worker serves it" in result.message


def test_deploying_unchanged_graphs_is_a_no_op(project, temporal_address):
    first = deploy_project(project, project.owner, activation_wait=0)
    again = deploy_project(project, project.owner, activation_wait=0)
    assert not again.created
    assert again.deployment == first.deployment
    assert again.changed == {"gate": "unchanged"}
    assert again.message == f"Nothing changed: build {first.deployment.build_id} is already pending."
    assert Deployment.objects.count() == 1


def test_a_strict_deploy_refuses_on_any_draft_with_errors_and_writes_nothing(project, temporal_address):
    """Without strict, gate would deploy and broken stay out (tests/compiler/builds/test_build_revisions.py)."""
    make_workflow_from_document(project, broken_document())
    result = deploy_project(project, project.owner, strict=True, activation_wait=0)
    assert not result.ok and result.deployment is None
    assert result.message == "Not deployed: strict deploy: 1 error(s) must be fixed first; nothing was changed."
    messages = [d.line() for d in result.diagnostics["broken"] if d.is_error]
    assert any("no_such_activity" in message for message in messages), messages
    assert not Deployment.objects.exists()


def test_a_strict_deploy_command_prints_the_diagnostics_and_fails(project, temporal_address, capsys):
    make_workflow_from_document(project, broken_document())
    with pytest.raises(CommandError, match="Not deployed: strict deploy"):
        call_command("deploy", project.slug, "--strict")
    assert "error: broken: mystery" in capsys.readouterr().out
    assert not Deployment.objects.exists()


def test_sources_and_build_id_of_a_deployment_never_change(project, temporal_address):
    deployment = deploy_project(project, project.owner, activation_wait=0).deployment
    deployment.sources = {"gate": "print('sneaky')"}
    with pytest.raises(ImmutableDeployment, match="immutable"):
        deployment.save()
    deployment.refresh_from_db()
    deployment.set_status(DeploymentStatus.FAILED, load_error="boom")
    deployment.refresh_from_db()
    assert (deployment.status, deployment.report) == (DeploymentStatus.FAILED, {"load_error": "boom"})


def test_unreachable_temporal_fails_the_deploy_command_with_a_clear_message(transactional_db, settings, tmp_path):
    settings.WORKFLOW_ACTIVITY_MODULES = [BUILTIN_ACTIVITIES]
    project = make_project(make_user(), name="Offline")
    make_workflow_from_document(project, gate_document())
    closed_port_address = "127.0.0.1:1"
    completed = subprocess.run(
        [sys.executable, str(MANAGE_PY), "deploy", project.slug],
        env=subprocess_env(closed_port_address, tmp_path, BUILTIN_ACTIVITIES),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1
    assert "Cannot reach Temporal at 127.0.0.1:1 — is the dev server running?" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not Deployment.objects.exists()


def test_deploying_an_earlier_graph_again_reuses_its_build(project, temporal_address):
    workflow = Workflow.objects.get(project=project, identifier="gate")
    first = deploy_project(project, project.owner, activation_wait=0).deployment
    graph_replace(
        workflow=workflow, user=project.owner, expected_version=None, document=gate_document(result="v2"), message="v2"
    )
    second = deploy_project(project, project.owner, activation_wait=0)
    assert second.created and second.changed == {"gate": "changed"}
    graph_replace(
        workflow=workflow,
        user=project.owner,
        expected_version=None,
        document=gate_document(result="v1"),
        message="back to v1",
    )
    rollback = deploy_project(project, project.owner, activation_wait=0)
    assert not rollback.created
    assert rollback.deployment.pk == first.pk
    assert rollback.message.startswith(f"Redeployed build {first.build_id}; it is pending")
    assert newest_deployment(project) == first


def _build(project, build_id: str, status: DeploymentStatus) -> Deployment:
    return Deployment.objects.create(project=project, build_id=build_id, sources={"gate": build_id}, status=status)


def test_promoting_a_build_drains_the_current_one_and_retires_older_pending_ones(project):
    current = _build(project, "aaaaaaaaaaaa", DeploymentStatus.CURRENT)
    skipped = _build(project, "bbbbbbbbbbbb", DeploymentStatus.PENDING)
    newest = _build(project, "cccccccccccc", DeploymentStatus.PENDING)
    assert newest_deployment(project) == newest
    assert newest.promote()
    statuses = dict(Deployment.objects.values_list("build_id", "status"))
    assert statuses == {
        current.build_id: DeploymentStatus.DRAINING,
        skipped.build_id: DeploymentStatus.RETIRED,
        newest.build_id: DeploymentStatus.CURRENT,
    }


def test_a_build_older_than_the_current_one_is_not_promoted(project):
    older = _build(project, "aaaaaaaaaaaa", DeploymentStatus.PENDING)
    _build(project, "bbbbbbbbbbbb", DeploymentStatus.CURRENT)
    assert not older.promote()
    older.refresh_from_db()
    assert older.status == DeploymentStatus.PENDING
