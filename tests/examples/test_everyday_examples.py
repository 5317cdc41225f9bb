"""The Everyday Examples project: seeded by its own command, compiled as a deploy would, run on the dev server."""

from __future__ import annotations

import asyncio
import io
import uuid

import pytest
from django.core.management import call_command
from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from compiler.builds.loader import load_workflows
from compiler.project_reader import compile_project
from projects.models import Project, task_queue_name
from tests.compiler.execution import activity_ids, event_types
from tests.examples.seeded import in_scope, worker_activities

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "everyday-examples"
SECOND = 1 / 3600  # of an hour, the approval's unit


def seed_and_load(directory) -> dict[str, type]:
    call_command("seed_examples", stdout=io.StringIO())
    results = compile_project(Project.objects.get(slug=SLUG))
    problems = {i: [d.line() for d in r.diagnostics] for i, r in results.items() if r.diagnostics}
    assert not problems, problems  # not even a warning
    return load_workflows({identifier: result.source for identifier, result in results.items()}, directory)


async def run(env, workflows, identifier: str, payload: dict, *, during=None):
    """(result or the failure's cause, history) of one run in the project's scope, on the project's task queue."""
    queue = task_queue_name(uuid.uuid4(), SLUG)
    async with Worker(
        env.client, task_queue=queue, workflows=list(workflows.values()), activities=worker_activities()
    ) as running:
        handle = await env.client.start_workflow(
            identifier, payload, id=in_scope(running, f"{identifier}-{uuid.uuid4()}"), task_queue=queue
        )
        if during is not None:
            await during(handle)
        try:
            outcome = await handle.result()
        except WorkflowFailureError as failure:
            outcome = failure.cause
        return outcome, await handle.fetch_history()


def test_the_command_seeds_once_and_says_what_it_did():
    first, second = io.StringIO(), io.StringIO()

    call_command("seed_examples", stdout=first)
    call_command("seed_examples", stdout=second)

    assert "workflow money-transfer: created" in first.getvalue()
    assert "workflow approval: created" in first.getvalue()
    assert "workflow price-quotes: created" in first.getvalue()
    assert "workflow order: created" in first.getvalue()
    assert "workflow money-transfer: skipped (exists)" in second.getvalue()
    assert Project.objects.get(slug=SLUG).workflows.count() == 4


@pytest.mark.temporal
def test_a_transfer_completes(temporal_env, run_async, tmp_path):
    workflows = seed_and_load(tmp_path)

    result, history = run_async(
        run(temporal_env, workflows, "money-transfer", {"source": "alice", "target": "bob", "amount": 5})
    )

    assert result == {"transferred": 5}
    assert activity_ids(history) == ["withdraw", "deposit"]


@pytest.mark.temporal
def test_a_refused_deposit_is_refunded_then_the_transfer_fails(temporal_env, run_async, tmp_path):
    workflows = seed_and_load(tmp_path)

    failure, history = run_async(
        run(temporal_env, workflows, "money-transfer", {"source": "alice", "target": "closed-bob", "amount": 5})
    )

    assert isinstance(failure, ApplicationError) and failure.type == "TransferRefused"
    assert failure.message == "refunded 5 to alice: account closed-bob is closed"
    assert failure.details == ({"step": "deposit", "reason": "AccountClosed"},)
    assert activity_ids(history) == ["withdraw", "deposit", "refund"]
    assert event_types(history)[-1] == "WORKFLOW_EXECUTION_FAILED"


@pytest.mark.temporal
def test_an_approval_waits_for_the_signal(temporal_env, run_async, tmp_path):
    workflows = seed_and_load(tmp_path)

    async def reject(handle):
        while (await handle.query("progress"))["nodes"]["wait"] != "running":
            await asyncio.sleep(0.05)
        await handle.signal("reject")

    result, history = run_async(run(temporal_env, workflows, "approval", {"hours": 60 * SECOND}, during=reject))

    assert result == "rejected"
    assert "TIMER_FIRED" not in event_types(history) and activity_ids(history) == []


@pytest.mark.temporal
def test_an_approval_nobody_decides_expires(temporal_env, run_async, tmp_path):
    workflows = seed_and_load(tmp_path)

    result, history = run_async(run(temporal_env, workflows, "approval", {"hours": SECOND}))

    assert result == f"expired after {SECOND} h"
    assert "TIMER_FIRED" in event_types(history) and activity_ids(history) == []


@pytest.mark.temporal
def test_price_quotes_run_concurrently_in_item_order(temporal_env, run_async, tmp_path):
    workflows = seed_and_load(tmp_path)
    skus = ["a", "bb", "ccc", "dddd", "eeeee"]

    result, history = run_async(run(temporal_env, workflows, "price-quotes", {"skus": skus}))

    assert result == {"prices": [100, 200, 300, 400, 500], "total": 1500}
    assert sorted(activity_ids(history)) == [f"quote-{i}" for i in range(1, 6)]
    # Three at a time: the first workflow task schedules exactly three calls.
    types = event_types(history)
    first_task_end = types.index("WORKFLOW_TASK_COMPLETED")
    assert types[first_task_end + 1 : first_task_end + 4] == ["ACTIVITY_TASK_SCHEDULED"] * 3
    assert types[first_task_end + 4] != "ACTIVITY_TASK_SCHEDULED"


@pytest.mark.temporal
def test_a_price_quote_without_a_price_takes_the_error_edge(temporal_env, run_async, tmp_path):
    workflows = seed_and_load(tmp_path)

    result, _ = run_async(run(temporal_env, workflows, "price-quotes", {"skus": ["a", "unknown-x"]}))

    assert "unpriced" in result and "unknown-x" in result["unpriced"]


@pytest.mark.temporal
def test_an_order_takes_updates_refuses_a_bad_one_and_closes(temporal_env, run_async, tmp_path):
    workflows = seed_and_load(tmp_path)
    answers = {}

    async def shop(handle):
        answers["first"] = await handle.execute_update("addItem", {"sku": "tea", "quantity": 2})
        try:
            await handle.execute_update("addItem", {"sku": "cake", "quantity": 0})
        except WorkflowUpdateFailedError as refused:
            answers["refused"] = str(refused.cause)
        answers["second"] = await handle.execute_update("addItem", {"sku": "jam"})
        answers["closed"] = await handle.execute_update("close", {})

    result, history = run_async(run(temporal_env, workflows, "order", {}, during=shop))

    lines = [{"sku": "tea", "quantity": 2}, {"sku": "jam", "quantity": 1}]
    assert answers["first"] == 1 and answers["second"] == 2 and answers["closed"] == lines
    assert "the order is closed or the quantity is not positive" in answers["refused"]
    assert result == {"lines": lines}
    # A refused update is rejected before anything is written to history.
    assert event_types(history).count("WORKFLOW_EXECUTION_UPDATE_ACCEPTED") == 3
