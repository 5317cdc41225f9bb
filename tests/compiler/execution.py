"""Compile JSON documents, load the modules with the loader and run them on a real server.

Shared by the execution tests: the generated code is imported from disk
through compiler.builds.loader (as a worker would) and runs in a Worker with the
default sandboxed workflow runner, so sandbox restrictions apply.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowFailureError
from temporalio.worker import Worker

from compiler.builds.loader import load_workflows
from compiler.pipeline import compile_graph
from compiler.runtime.project_ids import project_prefix
from tests.compiler.documents import graph_from_document


def load_documents(directory: Path, *documents: dict) -> dict[str, type]:
    """Workflow classes by identifier, compiled as one project."""
    graphs = {document["identifier"]: graph_from_document(document) for document in documents}
    results = {identifier: compile_graph(graph, project_graphs=graphs) for identifier, graph in graphs.items()}
    errors = {i: [d.line() for d in r.diagnostics if d.is_error] for i, r in results.items() if r.source is None}
    assert not errors, errors
    return load_workflows({identifier: result.source for identifier, result in results.items()}, directory)


def document(identifier: str, nodes: list[dict], edges: list[tuple], **extra) -> dict:
    """A document from compact edges: (source, target) or (source, target, kind)."""
    return {
        "identifier": identifier,
        "nodes": nodes,
        "edges": [{"source": e[0], "target": e[1], "kind": e[2] if len(e) > 2 else "next"} for e in edges],
        **extra,
    }


def studio_id(name: str, prefix: str | None = None) -> str:
    """A workflow id as the studio starts runs: a project prefix (a fresh project's unless given), then `name`."""
    return f"{prefix or project_prefix(uuid.uuid4().hex)}{name}"


async def run_workflow(
    env,
    workflows: dict[str, type],
    activities: Sequence[Callable],
    identifier: str,
    payload: dict | None = None,
    *,
    during: Callable | None = None,
    queries: Sequence[str] = (),
):
    """Start `identifier` with a project-prefixed id, optionally `await during(handle)` while it runs.

    Returns (result, history, answers): `answers` holds each query in
    `queries` asked after completion, while the worker still runs.
    """
    queue = f"exec-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=list(workflows.values()), activities=list(activities)):
        handle = await env.client.start_workflow(
            identifier, payload or {}, id=studio_id(f"{identifier}-{uuid.uuid4()}"), task_queue=queue
        )
        if during is not None:
            await during(handle)
        result = await handle.result()
        answers = {query: await handle.query(query) for query in queries}
        return result, await handle.fetch_history(), answers


async def run_to_failure(
    env, workflows: dict[str, type], activities: Sequence[Callable], identifier: str, payload=None
):
    """Run `identifier`, which must fail; returns (the failure's cause, e.g. an ApplicationError, the history)."""
    queue = f"exec-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=list(workflows.values()), activities=list(activities)):
        handle = await env.client.start_workflow(
            identifier, payload or {}, id=studio_id(f"{identifier}-{uuid.uuid4()}"), task_queue=queue
        )
        try:
            result = await handle.result()
        except WorkflowFailureError as failure:
            return failure.cause, await handle.fetch_history()
        raise AssertionError(f"{identifier} completed with {result!r} instead of failing")


def event_types(history) -> list[str]:
    """The history's event types by name, e.g. WORKFLOW_EXECUTION_FAILED."""
    return [EventType.Name(event.event_type).removeprefix("EVENT_TYPE_") for event in history.events]


def activity_ids(history) -> list[str]:
    return [
        event.activity_task_scheduled_event_attributes.activity_id
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
    ]
