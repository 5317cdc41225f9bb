"""Project B's workflows and users cannot reach project A's runs (issue 12, on a real dev server).

A runs `signals-and-queries` as `orchestrator` (like the seed's
continuous-builder-orchestrator). A member of B only, who knows A's full
workflow id and task queue, tries every way a graph or the runs API could
reach it: signal_send, signal-with-start (also with A's task queue),
a child workflow and a spawner item with A's id, and starting, reading,
signalling, cancelling and terminating A's id through the API. Each attempt
is refused or lands in B's own scope, and A's run answers its query as if
nothing happened.
"""

from __future__ import annotations

import json
import uuid

import pytest
from rest_framework.test import APIClient
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.worker import Worker

import compiler.activities.signals  # noqa: F401  (registers signal_with_start)
from compiler.activities.registry import get_activity
from compiler.models import Deployment, DeploymentStatus
from compiler.runs.control import run_id_in, start_run
from compiler.runs.history import describe_run
from tests.compiler.conftest import temporal_address  # noqa: F401 - the fixture
from tests.compiler.documents import GOLDEN_DIR
from tests.compiler.execution import document, load_documents
from tests.factories import make_project, make_user, make_workflow_from_document

pytestmark = pytest.mark.temporal

TARGET = "signals-and-queries"
UNCHANGED = {"queue": [], "paused": False, "completed": 0}
TARGET_INPUT = {"name": "target", "type": "str"}


def attacker(identifier: str, step: dict, result: str = "None") -> dict:
    """A B workflow that takes `target` (and `queue`) and runs one step against it."""
    fields = [TARGET_INPUT, {"name": "queue", "type": "str", "default": ""}]
    nodes = [
        {"key": "start", "type": "start", "config": {"input_fields": fields}},
        {"key": "attack", **step},
        {"key": "done", "type": "end", "config": {"result": result}},
    ]
    return document(identifier, nodes, [("start", "attack"), ("attack", "done")])


ATTACKS = [
    attacker("send-pause", {"type": "signal_send", "config": {"workflow_id": "input.target", "signal": "pause"}}),
    attacker(
        "start-and-pause",
        {
            "type": "signal_send",
            "config": {
                "workflow_id": "input.target",
                "signal": "pause",
                "start_if_missing": True,
                "workflow": TARGET,
                "start_input": "{}",
            },
        },
    ),
    attacker(
        "other-queue",
        {
            "type": "activity",
            "config": {
                "activity": "signal_with_start",
                "args": {
                    "workflow_id": "input.target",
                    "workflow": f"'{TARGET}'",
                    "signal": "'pause'",
                    "task_queue": "input.queue",
                },
                "retry": {"max_attempts": 1},
            },
        },
    ),
    attacker(
        "child",
        {
            "type": "child_workflow",
            "config": {
                "workflow": TARGET,
                "workflow_id": "input.target",
                "input": "{}",
                "wait": False,
                "parent_close_policy": "abandon",
                "result_var": "outcome",
            },
        },
        result="outcome",
    ),
    attacker(
        "spawn",
        {
            "type": "spawner",
            "config": {
                "items": "[input.target]",
                "workflow": "echo",
                "item_key": "item",
                "child_id": "item",
                "input": "{}",
                "result_var": "outcome",
            },
        },
    ),
    document(
        "echo",
        [{"key": "start", "type": "start"}, {"key": "done", "type": "end", "config": {"result": "'echoed'"}}],
        [("start", "done")],
    ),
]


def target_document() -> dict:
    return json.loads((GOLDEN_DIR / "graphs" / "signals_and_queries.json").read_text())


async def child_ids(handle) -> list[str]:
    """The workflow ids of the children a run started, from its history."""
    return [
        event.start_child_workflow_execution_initiated_event_attributes.workflow_id
        async for event in handle.fetch_history_events()
        if event.event_type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
    ]


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def serve(project, identifiers: list[str]) -> None:
    """A current build row, so the runs API starts these workflows (the test's own workers serve them)."""
    Deployment.objects.create(
        project=project,
        build_id=uuid.uuid4().hex[:12],
        sources=dict.fromkeys(identifiers, ""),
        status=DeploymentStatus.CURRENT,
    )


@pytest.fixture
def tenants(db, temporal_address):  # noqa: F811 - the fixture imported above
    a = make_project(make_user(), name="Tenant A")
    intruder = make_user()
    b = make_project(intruder, name="Tenant B")
    for project in (a, b):
        make_workflow_from_document(project, target_document())
        serve(project, [TARGET])
    return a, b, intruder


def test_project_b_cannot_reach_project_a(tenants, temporal_env, run_async, tmp_path):
    a, b, intruder = tenants
    workflows = load_documents(tmp_path, target_document(), *ATTACKS)
    a_run = start_run(a, TARGET, {}, workflow_id="orchestrator")
    a_id = a_run.workflow_id
    assert a_id == run_id_in(a, "orchestrator") != run_id_in(b, "orchestrator")

    # The runs API, as a member of B only.
    client = api(intruder)
    b_runs = f"/api/projects/{b.slug}/workflows/{TARGET}/runs/"
    same_short_id = client.post(b_runs, {"input": {}, "workflow_id": "orchestrator"}, format="json")
    assert same_short_id.status_code == 201, same_short_id.data  # B's own scope: no "already running" leak
    assert same_short_id.data["workflow_id"] == run_id_in(b, "orchestrator")
    a_full_id = client.post(b_runs, {"input": {}, "workflow_id": a_id}, format="json")
    assert a_full_id.status_code == 400 and a_full_id.data == {"workflow_id": ["must not contain ':'"]}
    for project in (b, a):
        run_url = f"/api/projects/{project.slug}/runs/{a_id}/"
        assert client.get(run_url).status_code == 404
        assert client.post(f"{run_url}signal/", {"signal": "pause"}, format="json").status_code == 404
        assert client.post(f"{run_url}cancel/").status_code == 404
        assert client.post(f"{run_url}terminate/", {"reason": "x"}, format="json").status_code == 404
    assert describe_run(a, "orchestrator").run_id == a_run.run_id  # A's page still finds A's run

    async def attack() -> dict:
        activities = [get_activity("signal_with_start").temporal_activity]
        served = {"workflows": list(workflows.values()), "activities": activities}
        workers = [Worker(temporal_env.client, task_queue=project.task_queue, **served) for project in (a, b)]
        async with workers[0], workers[1]:

            async def run(identifier: str, target: str, **extra):
                handle = await temporal_env.client.start_workflow(
                    identifier,
                    {"target": target, **extra},
                    id=run_id_in(b, f"{identifier}-{uuid.uuid4().hex[:8]}"),
                    task_queue=b.task_queue,
                )
                await handle.result()
                return handle

            outcomes = {}
            with pytest.raises(WorkflowFailureError) as not_found:
                await run("send-pause", a_id)  # becomes B's '<b>:<a>:orchestrator', which does not exist
            outcomes["send full id"] = not_found.value
            await run("send-pause", "orchestrator")  # B's own orchestrator
            outcomes["spawned"] = await child_ids(await run("spawn", a_id))
            outcomes["child"] = await (await run("child", a_id)).result()
            with pytest.raises(WorkflowFailureError) as other_queue:
                await run("other-queue", a_id, queue=a.task_queue)
            outcomes["other queue"] = other_queue.value
            await run("start-and-pause", a_id)
            a_handle = temporal_env.client.get_workflow_handle(a_id)
            outcomes["a state"] = await a_handle.query("state")
            outcomes["b state"] = await temporal_env.client.get_workflow_handle(run_id_in(b, "orchestrator")).query(
                "state"
            )
            scoped = temporal_env.client.get_workflow_handle(run_id_in(b, a_id))
            outcomes["b scoped state"] = await scoped.query("state")
            outcomes["b scoped queue"] = (await scoped.describe()).task_queue
            outcomes["a status"] = (await a_handle.describe()).status
            outcomes["a signals"] = [
                event
                async for event in a_handle.fetch_history_events()
                if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
            ]
            for workflow_id in (a_id, run_id_in(b, "orchestrator"), run_id_in(b, a_id)):
                await temporal_env.client.get_workflow_handle(workflow_id).terminate("test is over")
            return outcomes

    outcomes = run_async(attack())
    assert "not found" in str(outcomes["send full id"].cause).lower()
    assert outcomes["spawned"] == [run_id_in(b, a_id)]
    assert outcomes["child"] == run_id_in(b, a_id)
    refused = outcomes["other queue"].cause
    assert isinstance(refused, ActivityError) and isinstance(refused.cause, ApplicationError)
    assert refused.cause.type == "TaskQueueOutsideProject"
    assert outcomes["b state"]["paused"] and outcomes["b scoped state"]["paused"]
    assert outcomes["b scoped queue"] == b.task_queue
    assert outcomes["a state"] == UNCHANGED
    assert outcomes["a status"] == WorkflowExecutionStatus.RUNNING
    assert outcomes["a signals"] == []
