"""Retry settings a graph leaves out get the node-type registry's defaults, on the real server.

Documents and the editor fill defaults in, but a graph built by hand (or a
config saved before a field existed) reaches the emitter without them; the
emitter and the runtime then must not fall back to defaults of their own
(an activity's `max_attempts` of 0 retried forever where the registry says 3).
"""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from temporalio import activity
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError

from compiler.builds.loader import load_workflows
from compiler.ir import Graph
from compiler.pipeline import compile_graph
from tests.compiler.documents import graph_from_document
from tests.compiler.execution import document, run_workflow
from workflows.node_types import NODE_TYPES

pytestmark = pytest.mark.temporal

CALLS: list[dict] = []
# Seconds before a run counts as retrying forever.
RUN_LIMIT = 20


@activity.defn(name="always_fails")
async def always_fails(arguments: dict) -> dict:
    CALLS.append(arguments)
    raise ApplicationError("still broken")


def _without(graph: Graph, key: str, *fields: str, inside: str | None = None) -> Graph:
    """The graph with `fields` removed from node `key`'s config (from its `inside` object if given)."""

    def strip(config: dict) -> dict:
        if inside is None:
            return {name: value for name, value in config.items() if name not in fields}
        return {**config, inside: {name: value for name, value in config[inside].items() if name not in fields}}

    nodes = tuple(dataclasses.replace(n, config=strip(n.config)) if n.key == key else n for n in graph.nodes)
    return dataclasses.replace(graph, nodes=nodes)


def _run_failing(env, run_async, tmp_path, graph: Graph) -> None:
    result = compile_graph(graph)
    assert result.source is not None, [d.line() for d in result.diagnostics]
    workflows = load_workflows({graph.identifier: result.source}, tmp_path)
    CALLS.clear()
    with pytest.raises(WorkflowFailureError):
        run_async(asyncio.wait_for(run_workflow(env, workflows, [always_fails], graph.identifier), RUN_LIMIT))


def test_a_retry_block_without_max_attempts_runs_the_registry_default_number_of_attempts(
    time_skipping_env, run_async, tmp_path
):
    doc = document(
        "default-block",
        [
            {"key": "start", "type": "start"},
            {"key": "again", "type": "retry_block", "config": {"backoff": "none"}},
            {
                "key": "work",
                "type": "activity",
                "parent": "again",
                "config": {"activity": "always_fails", "args": {"attempt": "attempt"}, "retry": {"max_attempts": 1}},
            },
            {"key": "done", "type": "end"},
        ],
        [("start", "again"), ("again", "done")],
    )
    graph = _without(graph_from_document(doc), "again", "max_attempts")

    _run_failing(time_skipping_env, run_async, tmp_path, graph)

    default = NODE_TYPES["retry_block"].field("max_attempts").default
    assert [call["attempt"] for call in CALLS] == list(range(1, default + 1))


def test_an_activity_retry_policy_without_max_attempts_tries_the_registry_default_number_of_times(
    time_skipping_env, run_async, tmp_path
):
    doc = document(
        "default-policy",
        [
            {"key": "start", "type": "start"},
            {
                "key": "work",
                "type": "activity",
                "config": {"activity": "always_fails", "retry": {"initial_interval": 0.01, "backoff_coefficient": 1}},
            },
            {"key": "done", "type": "end"},
        ],
        [("start", "work"), ("work", "done")],
    )
    graph = _without(graph_from_document(doc), "work", "max_attempts", inside="retry")

    _run_failing(time_skipping_env, run_async, tmp_path, graph)

    assert len(CALLS) == NODE_TYPES["activity"].field("retry").default["max_attempts"]
