"""A build is made of chosen revisions: a draft with errors never blocks another workflow's deploy.

Each deploy takes a workflow's draft when it validates (against the set
actually chosen), else the revision the newest build has, else leaves the
workflow out; it says per workflow what it did, and the build stores the
revision and the document it compiled. `--strict` refuses like before.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from compiler.builds.deploy import deploy_project
from compiler.models import BuildGraph, Deployment
from compiler.project_reader import graph_document, graph_from_document, graphs_of_build, load
from tests.compiler.conftest import BUILTIN_ACTIVITIES
from tests.compiler.deploy_graphs import broken_document, gate_document
from tests.factories import make_project, make_user, make_workflow_from_document
from workflows.models import Workflow
from workflows.services import graph_replace, workflow_export


@pytest.fixture
def project(db, settings):
    settings.WORKFLOW_ACTIVITY_MODULES = [BUILTIN_ACTIVITIES]
    project = make_project(make_user(), name="Gates")
    make_workflow_from_document(project, gate_document())
    return project


def _replace(project, identifier: str, document: dict) -> Workflow:
    workflow = Workflow.objects.get(project=project, identifier=identifier)
    graph_replace(workflow=workflow, user=project.owner, expected_version=None, document=document, message="edit")
    workflow.refresh_from_db()
    return workflow


def _parent_document(child: str = "kid") -> dict:
    """start -> child workflow `child` -> end: valid only while `child` is in the same build."""
    return {
        "format": "workflow-studio/v1",
        "identifier": "parent",
        "name": "Parent",
        "description": "",
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": {}},
            {"key": "call", "type": "child_workflow", "label": "Call kid", "config": {"workflow": child}},
            {"key": "done", "type": "end", "label": "Done", "config": {}},
        ],
        "edges": [
            {"source": "start", "target": "call", "kind": "next"},
            {"source": "call", "target": "done", "kind": "next"},
        ],
    }


def test_a_document_and_its_graph_go_both_ways_unchanged(project):
    graph = load(Workflow.objects.get(project=project, identifier="gate"))
    assert graph_from_document(graph_document(graph)) == graph
    assert graph_from_document(workflow_export(Workflow.objects.get(project=project, identifier="gate"))) == graph


def test_a_broken_draft_of_one_workflow_does_not_block_deploying_another(project, temporal_address):
    first = deploy_project(project, project.owner, activation_wait=0).deployment
    make_workflow_from_document(project, broken_document())
    gate = _replace(project, "gate", gate_document(result="v2"))

    result = deploy_project(project, project.owner, activation_wait=0)

    assert result.ok and result.created, result.message
    assert list(result.deployment.sources) == ["gate"]
    assert result.workflows == [
        "broken: not included: 1 error",
        f"gate: revision {gate.version} (changed)",
    ]
    assert result.deployment.build_id != first.build_id
    [row] = BuildGraph.objects.filter(deployment=result.deployment)
    assert (row.identifier, row.revision_number, row.workflow_id) == ("gate", gate.version, gate.pk)
    assert row.revision == gate.revisions.get(number=gate.version)
    assert graph_from_document(row.document) == load(gate)
    # The draft's errors are still reported, pinned to the node, for the user to fix.
    assert any("no_such_activity" in d.line() for d in result.diagnostics["broken"] if d.is_error)


def test_a_draft_with_errors_keeps_the_revision_of_the_current_build(project, temporal_address):
    first = deploy_project(project, project.owner, activation_wait=0).deployment
    deployed = Workflow.objects.get(project=project, identifier="gate")
    _replace(project, "gate", broken_document(identifier="gate"))
    other = make_workflow_from_document(project, gate_document(identifier="other"))

    result = deploy_project(project, project.owner, activation_wait=0)

    assert result.ok and result.created, result.message
    assert result.workflows == [
        f"gate: kept revision {deployed.version} from build {first.build_id}: draft has 1 error",
        f"other: revision {other.version} (added)",
    ]
    assert result.changed == {"gate": "unchanged", "other": "added"}
    assert result.deployment.sources["gate"] == first.sources["gate"]
    kept = result.deployment.graphs.get(identifier="gate")
    assert kept.revision_number == deployed.version
    assert graphs_of_build(result.deployment)["gate"] == graphs_of_build(first)["gate"]
    assert graphs_of_build(result.deployment)["gate"] != load(Workflow.objects.get(pk=deployed.pk))


def test_references_are_checked_against_the_chosen_revisions(project, temporal_address):
    """The parent's draft is fine against the kid's draft, but the kid's draft does not ship, so neither does it."""
    make_workflow_from_document(project, _parent_document())
    kid = broken_document(identifier="kid")
    make_workflow_from_document(project, kid)

    result = deploy_project(project, project.owner, activation_wait=0)

    assert result.ok, result.message
    assert list(result.deployment.sources) == ["gate"]
    assert result.workflows[0] == "gate: revision 1 (added)"
    assert result.workflows[1] == "kid: not included: 1 error"
    assert result.workflows[2] == "parent: not included: 1 error"
    # Against every draft the parent is fine; against what ships, its child is missing.
    [missing] = [d.line() for d in result.diagnostics["parent"] if d.is_error]
    assert "kid" in missing, missing


def test_nothing_valid_to_deploy_refuses_and_writes_nothing(db, settings, temporal_address):
    settings.WORKFLOW_ACTIVITY_MODULES = [BUILTIN_ACTIVITIES]
    project = make_project(make_user(), name="Broken Only")
    make_workflow_from_document(project, broken_document())
    result = deploy_project(project, project.owner, activation_wait=0)
    assert not result.ok and result.deployment is None
    assert result.message == "Not deployed: 1 error(s) must be fixed first; nothing was changed."
    assert result.workflows == ["broken: not included: 1 error"]
    assert not Deployment.objects.exists()


def test_the_deploy_command_names_what_it_kept_and_why(project, temporal_address, capsys):
    call_command("deploy", project.slug, "--wait", "0")
    first = Deployment.objects.get()
    deployed = Workflow.objects.get(project=project, identifier="gate")
    _replace(project, "gate", broken_document(identifier="gate"))
    make_workflow_from_document(project, broken_document())
    capsys.readouterr()

    call_command("deploy", project.slug, "--wait", "0")

    out = capsys.readouterr().out
    assert "error: gate: mystery" in out and "error: broken: mystery" in out
    assert f"gate: kept revision {deployed.version} from build {first.build_id}: draft has 1 error" in out
    assert "broken: not included: 1 error" in out
    # The kept revision is the code the build already has: nothing is deployed again.
    assert f"Nothing changed: build {first.build_id} is already pending." in out
    assert Deployment.objects.get() == first


def test_a_kept_revision_that_no_longer_validates_stays_out_and_a_deleted_workflow_leaves(project, temporal_address):
    make_workflow_from_document(project, _parent_document())
    make_workflow_from_document(project, gate_document(identifier="kid"))
    first = deploy_project(project, project.owner, activation_wait=0).deployment
    assert sorted(first.sources) == ["gate", "kid", "parent"]
    kept = Workflow.objects.get(project=project, identifier="parent").version
    _replace(project, "parent", _parent_document(child="nobody"))
    Workflow.objects.get(project=project, identifier="kid").delete()

    result = deploy_project(project, project.owner, activation_wait=0)

    assert result.ok, result.message
    assert list(result.deployment.sources) == ["gate"]
    assert result.workflows == [
        "gate: revision 1 (unchanged)",
        f"parent: not included: draft has 1 error, and revision {kept} of build {first.build_id} "
        "no longer validates (1 error)",
        "kid: removed (no longer in the project)",
    ]
    assert result.changed == {"gate": "unchanged", "kid": "removed", "parent": "removed"}
