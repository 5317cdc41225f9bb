"""The Package Management seed: idempotent, faithful to DESIGN section 7, resettable."""

from __future__ import annotations

from dataclasses import replace
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from compiler.models import Deployment
from projects.models import Membership, Project
from workflows.models import Edge, Node, Revision, Workflow

pytestmark = pytest.mark.django_db

MODELS = (Project, Membership, Workflow, Node, Edge, Revision)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_package_management", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*MODELS, get_user_model())}


@pytest.fixture
def seeded() -> None:
    seed()


def workflow(identifier: str) -> Workflow:
    return Workflow.objects.get(project__slug="package-management", identifier=identifier)


def top_level_chain(wf: Workflow) -> list[Node]:
    """Top-level nodes in flow order, following `next` edges from start."""
    node = wf.nodes.get(type="start")
    chain = [node]
    while (edge := Edge.objects.filter(source=node, kind="next").first()) is not None:
        node = edge.target
        chain.append(node)
    return chain


def test_seed_creates_project_owned_by_demo_with_four_workflows(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    output = seed()
    project = Project.objects.get(name="Package Management")
    assert project.slug == "package-management"
    assert project.task_queue == f"{str(project.uuid)[:8]}-package-management-queue"
    assert project.owner.username == "demo"
    assert Membership.objects.get(project=project, user=project.owner).role == "owner"
    assert sorted(project.workflows.values_list("identifier", flat=True)) == [
        "continuous-builder", "mcp-poller", "package-build", "package-builder",
    ]  # fmt: skip
    assert "workflow package-builder: created" in output
    assert output.strip().splitlines()[-1].startswith("Seed done: ")


def test_second_run_skips_everything_and_changes_no_counts():
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "created" not in output.replace("0 created", "")
    assert output.count("skipped") >= 6


def test_demo_password_is_honoured_and_kept_on_rerun(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "first-password-1")
    seed()
    monkeypatch.setenv("DEMO_PASSWORD", "second-password-2")
    output = seed()
    user = get_user_model().objects.get(username="demo")
    assert user.check_password("first-password-1")
    assert "password unchanged" in output


def test_without_demo_password_a_generated_one_is_printed(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = seed()
    line = next(line for line in output.splitlines() if line.startswith("user demo: created with password"))
    password = line.split("with password ")[1].split(" ")[0]
    assert get_user_model().objects.get(username="demo").check_password(password)


def test_an_invalid_document_fails_with_a_clear_message_and_writes_nothing(monkeypatch):
    from workflows.management.commands import seed_package_management

    broken = {"identifier": "package-builder", "nodes": [{"key": "start", "type": "teleport"}], "edges": []}
    broken_seed = replace(seed_package_management.PACKAGE_MANAGEMENT, documents=lambda: [broken])
    monkeypatch.setattr(seed_package_management.Command, "project_seed", broken_seed)
    with pytest.raises(CommandError, match="nothing was written: start: Unknown node type 'teleport'"):
        seed()
    assert not Project.objects.exists()
    assert not get_user_model().objects.exists()


def test_reset_recreates_the_project():
    seed()
    old_uuid = Project.objects.get(name="Package Management").uuid
    before = counts()
    output = seed("--reset")
    project = Project.objects.get(name="Package Management")
    assert project.uuid != old_uuid
    assert "deleted (--reset)" in output
    assert counts() == before


@pytest.mark.usefixtures("seeded")
def test_package_builder_has_five_phases_in_order_each_holding_its_step():
    wf = workflow("package-builder")
    chain = top_level_chain(wf)
    phases = [node for node in chain if node.type == "phase"]
    assert [p.config["name"] for p in phases] == ["INITIALIZE", "PLAN", "BUILD", "VERIFY", "COMPLETE"]
    assert chain[-1].type == "end"
    contents = {p.config["name"]: {(c.type, c.label) for c in p.children.all()} for p in phases}
    assert ("dependency_graph", "Build Dependency Graph") in contents["INITIALIZE"]
    assert ("activity", "Verify Plans") in contents["PLAN"]
    assert ("activity", "Integration Tests") in contents["VERIFY"]
    assert {("activity", "Load Package Reports"), ("activity", "Generate Build Report")} <= contents["COMPLETE"]
    spawner = wf.nodes.get(type="spawner")
    assert spawner.parent.config["name"] == "BUILD"
    assert spawner.config["workflow"] == "package-build"
    assert spawner.config["child_id"] == "'build-' + input.build_id + '-' + item.name"
    assert spawner.config["depends_on"]
    assert "max_concurrent_builds" in spawner.config["max_concurrency"]
    config_field = next(f for f in wf.nodes.get(type="start").config["input_fields"] if f["name"] == "config")
    assert config_field["default"]["max_concurrent_builds"] == 4


@pytest.mark.usefixtures("seeded")
def test_package_build_has_retry_blocks_with_agent_remediation_and_branching_conditions():
    wf = workflow("package-build")
    blocks = {node.label: node for node in wf.nodes.filter(type="retry_block")}
    assert set(blocks) == {"Build", "Tests", "Quality"}
    for label, block in blocks.items():
        assert block.config["max_attempts"] == 3
        assert block.children.filter(slot="remediation", type="agent").exists(), label
        assert block.children.filter(slot="body", type="activity").exists(), label
        assert Edge.objects.filter(source=block, kind="error", target__key="write-report").exists(), label
    assert blocks["Build"].config["backoff"] == blocks["Tests"].config["backoff"] == "exponential"
    assert blocks["Build"].config["initial_interval"] == 1.0
    assert blocks["Quality"].config["backoff"] == "none"
    conditions = wf.nodes.filter(type="condition")
    assert {"Code Exists?", "Published?", "Upgrade Plan?"} <= {c.label for c in conditions}
    for condition in conditions:
        assert sorted(condition.outgoing.values_list("kind", flat=True)) == ["false", "true"], condition.key
    early = Edge.objects.get(source__key="mark-published", source__workflow=wf).target
    assert early.type == "end" and "'success': True" in early.config["result"]
    assert wf.nodes.get(key="scaffold").type == "agent"
    assert Edge.objects.filter(source__key="publish", source__workflow=wf, target__key="write-report").count() == 2


@pytest.mark.usefixtures("seeded")
def test_continuous_builder_has_signal_handlers_queries_and_a_continue_as_new_loop():
    wf = workflow("continuous-builder")
    start = wf.nodes.get(type="start")
    assert start.config["workflow_id"] == "continuous-builder-orchestrator"
    handlers = {node.config["signal"]: node.config["actions"] for node in wf.nodes.filter(type="signal_handler")}
    assert {"newPackages", "pause", "resume", "drain", "emergencyStop", "adjustConcurrency"} <= set(handlers)
    merge = handlers["newPackages"][0]
    assert (merge["op"], merge["var"], merge["key"], merge["priority"]) == ("merge", "queue", "name", "priority")
    assert {"op": "cancel_children"} in handlers["emergencyStop"]
    states = set(wf.nodes.filter(type="state").values_list("label", flat=True))
    assert {"queue", "paused", "draining"} <= states
    assert set(wf.nodes.filter(type="query").values_list("label", flat=True)) == {"state", "status"}
    loop = wf.nodes.get(type="loop")
    assert loop.config["continue_as_new_iterations"] == 100
    assert loop.config["continue_as_new_seconds"] == 86400
    assert loop.config["continue_as_new_suggested"] is True
    assert loop.config["wait_for"]
    assert loop.children.filter(type="spawner", config__workflow="package-build").exists()


@pytest.mark.usefixtures("seeded")
def test_mcp_poller_runs_every_30_minutes_and_signals_with_start():
    wf = workflow("mcp-poller")
    start = wf.nodes.get(type="start")
    assert (start.config["trigger"], start.config["cron"]) == ("cron", "*/30 * * * *")
    query = wf.nodes.get(key="query-mcp")
    assert query.config["activity"] == "mcp_call"
    assert query.config["args"]["tool"] == "'packages_get_build_queue'"
    assert query.config["args"]["arguments"] == "{'limit': 10, 'exclude_blocked': True}"
    assert wf.nodes.get(type="condition").label == "any packages?"
    send = wf.nodes.get(type="signal_send")
    assert send.config["start_if_missing"] is True
    assert send.config["workflow_id"] == "'continuous-builder-orchestrator'"
    assert (send.config["workflow"], send.config["signal"]) == ("continuous-builder", "newPackages")


@pytest.mark.parametrize(
    "weak,message",
    [
        ("demo1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("83920174", "This password is entirely numeric."),
    ],
)
def test_a_weak_demo_password_is_refused_with_the_validator_messages_and_writes_nothing(monkeypatch, weak, message):
    monkeypatch.setenv("DEMO_PASSWORD", weak)
    with pytest.raises(CommandError, match=rf"DEMO_PASSWORD is refused: .*{message}.* Choose a stronger one"):
        seed()
    assert not get_user_model().objects.filter(username="demo").exists()
    assert not Project.objects.exists()


def test_reset_of_a_deployed_project_while_temporal_is_away_fails_with_a_message(settings):
    seed()
    project = Project.objects.get(name="Package Management")
    Deployment.objects.create(project=project, build_id="d" * 12, sources={"package-build": "# code"})
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    with pytest.raises(CommandError, match="Package Management was not deleted: its schedules could not be removed"):
        seed("--reset")
    assert Project.objects.filter(pk=project.pk).exists()
