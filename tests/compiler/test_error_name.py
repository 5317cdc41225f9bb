"""`error` after an error edge and in a retry block: the failed step's key, error type, message and attempt."""

from __future__ import annotations

import pytest
from temporalio import activity
from temporalio.exceptions import ApplicationError

from compiler.ir import Graph, IREdge, IRNode
from compiler.validate.graph import validate
from tests.compiler.documents import golden_document
from tests.compiler.execution import activity_ids, load_documents, run_workflow

REPORTS: list[dict] = []
SENT: list[int] = []
DECLINE = {"charge": True}


@activity.defn(name="charge")
async def charge(arguments: dict) -> None:
    if DECLINE["charge"]:
        raise ApplicationError("card declined", type="CardDeclined")


@activity.defn(name="send")
async def send(arguments: dict) -> None:
    SENT.append(1)
    if len(SENT) == 1:  # the block's first attempt fails, the second one succeeds
        raise ApplicationError("gate closed")


@activity.defn(name="report")
async def report(arguments: dict) -> None:
    REPORTS.append(arguments)


ACTIVITIES = [charge, send, report]


@pytest.mark.temporal
def test_the_error_path_reads_the_failed_step_its_type_message_and_attempts(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden_document("error_details"))
    REPORTS.clear()
    DECLINE["charge"] = True

    result, history, _ = run_async(run_workflow(temporal_env, workflows, ACTIVITIES, "error-details"))

    assert result == {"failed": "charge", "type": "CardDeclined", "attempt": 2}
    assert REPORTS == [{"step": "charge", "reason": "CardDeclined: card declined"}]
    assert activity_ids(history) == ["charge", "report"]


@pytest.mark.temporal
def test_a_retry_blocks_remediation_reads_the_failure_of_the_attempt(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden_document("error_details"))
    REPORTS.clear()
    SENT.clear()
    DECLINE["charge"] = False

    result, history, _ = run_async(run_workflow(temporal_env, workflows, ACTIVITIES, "error-details"))

    assert result == {"ok": True}
    assert REPORTS == [{"step": "send", "reason": "gate closed"}]
    assert activity_ids(history) == ["charge", "send-1", "log-1", "send-2"]


def flow(result: str, *, rejoin: bool) -> Graph:
    """start -> risky; risky -error-> cleanup; cleanup and risky -> after (when rejoin) or cleanup ends."""
    nodes = [
        IRNode("start", "start", "Start"),
        IRNode("risky", "activity", "Risky", {"activity": "charge"}),
        IRNode("cleanup", "end", "Cleanup", {"result": result}),
    ]
    edges = [IREdge("start", "risky"), IREdge("risky", "cleanup", "error")]
    if rejoin:
        nodes[2] = IRNode("cleanup", "activity", "Cleanup", {"activity": "report", "args": {"reason": "error.message"}})
        nodes.append(IRNode("after", "end", "After", {"result": result}))
        edges += [IREdge("risky", "after"), IREdge("cleanup", "after")]
    return Graph("flow", nodes=tuple(nodes), edges=tuple(edges))


def test_error_is_known_on_the_error_path():
    assert not [d for d in validate(flow("error.message", rejoin=False)) if d.is_error]


def test_error_is_unknown_where_the_paths_rejoin():
    found = [(d.node, d.field, d.message) for d in validate(flow("error.message", rejoin=True)) if d.is_error]

    assert found == [("after", "result", "Invalid expression: unknown name 'error'")]
