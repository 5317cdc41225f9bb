"""Rollback (`deploy --build <id>`): an older build becomes current again; the build it replaces drains.

A real `run_worker`: v1 is deployed, then v2; a run starts on v2 and waits
for its `release` signal. Rolling back to v1 makes new runs execute v1's
code (and its stored graph, whatever the draft says), while the v2 run
still finishes on v2.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from compiler.builds.deploy import deploy_project, rollback_project
from compiler.models import Deployment, DeploymentStatus
from compiler.runs.control import new_run_graph, signal_run
from tests.compiler.builds.test_worker_versioning import _pinned_version, _start
from tests.compiler.deploy_graphs import released_gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.services import graph_replace


def test_rolling_back_makes_new_runs_use_the_older_build_while_the_newer_drains(
    start_worker, settings, temporal_env, run_async, capsys
):
    settings.WORKFLOW_ACTIVITY_MODULES = ["compiler.activities.builtins"]
    client = temporal_env.client
    project = make_project(make_user(), name="Rollbacks")
    workflow = make_workflow_from_document(project, released_gate_document(result="v1"))
    worker = start_worker(project.slug)
    v1 = deploy_project(project, project.owner, activation_wait=20).deployment
    assert v1.status == DeploymentStatus.CURRENT, worker.output
    document = released_gate_document(result="v2", warm_up=False)
    graph_replace(workflow=workflow, user=project.owner, expected_version=None, document=document, message="v2")
    v2 = deploy_project(project, project.owner, activation_wait=20).deployment
    assert v2.status == DeploymentStatus.CURRENT, worker.output
    on_v2 = _start(run_async, client, project)
    capsys.readouterr()

    call_command("deploy", project.slug, "--build", v1.build_id, "--wait", "20")

    printed = capsys.readouterr().out
    assert f"gate: revision 1 of build {v1.build_id} (changed)" in printed
    assert f"Redeployed build {v1.build_id}; it is current" in printed
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (DeploymentStatus.CURRENT, DeploymentStatus.DRAINING)
    assert [n.key for n in new_run_graph(project, "gate").of_type("timer")] == ["warm-up"], "v1's graph, not the draft"

    on_v1 = _start(run_async, client, project)
    signal_run(project, on_v1.id, "release", None)
    assert run_async(on_v1.result()) == "v1"
    assert _pinned_version(run_async, on_v1) == v1.build_id
    signal_run(project, on_v2.id, "release", None)
    assert run_async(on_v2.result()) == "v2"
    assert _pinned_version(run_async, on_v2) == v2.build_id


@pytest.mark.django_db
def test_rolling_back_to_an_unknown_build_names_the_known_ones(settings):
    project = make_project(make_user(), name="No Such Build")
    Deployment.objects.create(project=project, build_id="a" * 12, sources={"gate": "# code"})
    result = rollback_project(project, None, "b" * 12)
    assert not result.ok
    assert result.message == f"Not deployed: 'No Such Build' has no build {'b' * 12} (builds: {'a' * 12})."
