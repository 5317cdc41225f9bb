"""The run canvas's statuses: the path a run took, one status per container, attempt counts.

`describe_run` reads per-node statuses from the history (activities, timers,
children, signals, the start node) and, when a worker answers, from the
`progress` query (steps and containers). Neither says everything the canvas
draws, so this pass completes them, from the graph alone:

- a condition leaves no event: it was evaluated once the step before it
  completed or a step of one of its branches ran; its branch is the one whose
  target ran, or, in a completed run, the only branch that is an end node;
- an end node leaves no event: it was reached when an edge into it was taken
  (a `next` edge from a completed node, an `error` edge from a failed one, the
  branch a condition took); nor does an assignment: it ran when it was
  entered (or is the first of a container that ran) and the flow went on;
- a spawner's history status is its latest child's; a child failing is an
  item's outcome (the dependency view shows it), so the spawner failed only
  under `fail_fast`;
- a container's status is derived from its children, innermost first: one
  status, never "skipped" around a step that completed.

Attempts: a step in a retry block's body runs once per attempt (a new activity
each time, `SINGLE_ATTEMPT` inside); any other activity is retried by Temporal
and the history's ActivityTaskStarted event counts its attempts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from compiler.ir import Graph, IREdge, IRNode, enclosing
from workflows.node_types import CONTAINER, NODE_TYPES, STEP

REACHED = frozenset({"running", "completed", "failed", "retrying"})
ACTIVE = frozenset({"running", "retrying"})
BRANCHES = ("true", "false")


def run_statuses(
    graph: Graph, statuses: Mapping[str, dict], *, run_status: str, steps_by_key: Mapping, queried: Iterable[str] = ()
) -> dict:
    """`statuses` completed for the canvas ({key: {"status": ..., "attempt": ...}}); the input is not changed.

    run_status: the run's (`running`, `completed`, `failed`, ...); steps_by_key:
    RunDetail.steps_by_key(), for spawners' children; queried: the spawners whose
    status the progress query gave (it knows better than their latest child).
    """
    result = {key: dict(value) for key, value in statuses.items()}
    for node in graph.of_type("spawner"):
        if node.key not in queried:
            _settle_spawner(node, result, steps_by_key.get(node.key, []))
    containers = _innermost_first(graph)
    # Containers and the path feed each other (a retry block that failed takes its error edge; a
    # condition inside a phase makes the phase ran): repeat until nothing changes.
    for _ in range(len(graph.nodes) + 1):
        before = {key: value.get("status") for key, value in result.items()}
        for node in containers:
            _derive_container(graph, node, result, is_open=run_status == "running")
        _follow_path(graph, result, completed=run_status == "completed")
        if before == {key: value.get("status") for key, value in result.items()}:
            break
    return result


def taken_edges(graph: Graph, statuses: Mapping[str, dict], *, run_status: str) -> list[IREdge]:
    """The edges the run went along, given the statuses `run_statuses` returned."""
    completed = run_status == "completed"
    return [edge for edge in graph.edges if _taken(graph, statuses, edge, completed) and _status(statuses, edge.target)]


def attempt_counts(graph: Graph, steps_by_key: Mapping[str, list]) -> dict[str, int]:
    """Node key -> attempts, for nodes that ran more than once (steps and their retry blocks)."""
    counts: dict[str, int] = {}
    for key, steps in steps_by_key.items():
        node = graph.by_key.get(key)
        calls = [step for step in steps if step.kind in ("activity", "child_workflow")]
        if node is None or not calls:
            continue
        block = retry_block_of(graph, node)
        count = len(calls) if block else max(step.attempts for step in calls)
        if count > 1:
            counts[key] = count
            if block:
                counts[block.key] = max(counts.get(block.key, 0), count)
    return counts


def retry_block_of(graph: Graph, node: IRNode) -> IRNode | None:
    """The retry block whose body `node` runs in (once per attempt), if any."""
    for container, inside in enclosing(node, graph.by_key):
        if container.type == "retry_block":
            return container if inside.slot == "body" else None
    return None


def _status(statuses: Mapping[str, dict], key: str) -> str | None:
    return statuses.get(key, {}).get("status")


def _settle_spawner(node: IRNode, statuses: dict, steps: Iterable) -> None:
    children = [step for step in steps if step.kind == "child_workflow"]
    if not children:
        return
    if any(step.status == "running" for step in children):
        status = "running"
    elif node.config.get("on_failure") == "fail_fast" and any(step.status == "failed" for step in children):
        status = "failed"
    else:
        status = "completed"
    statuses[node.key] = {**statuses.get(node.key, {}), "status": status}


def _innermost_first(graph: Graph) -> list[IRNode]:
    depth = {node.key: sum(1 for _ in enclosing(node, graph.by_key)) for node in graph.nodes}
    containers = [node for node in graph.nodes if node.type in NODE_TYPES and NODE_TYPES[node.type].role == CONTAINER]
    return sorted(containers, key=lambda node: -depth[node.key])


def _derive_container(graph: Graph, node: IRNode, statuses: dict, *, is_open: bool) -> None:
    """One status from the children; a container none of whose children ran keeps what it had."""
    children = [child for child in graph.nodes if child.parent == node.key]
    ran = [child for child in children if _status(statuses, child.key) in REACHED]
    if not ran:
        return
    own = _status(statuses, node.key)
    kids = {_status(statuses, child.key) for child in ran}
    unhandled = [
        child
        for child in ran
        if _status(statuses, child.key) == "failed"
        and not any(edge.kind == "error" for edge in graph.outgoing(child.key))
    ]
    if kids & ACTIVE:
        status = "running"
    elif unhandled and not (is_open and own in ACTIVE):
        status = "failed"
    elif own in REACHED and own != "failed":
        status = own  # the progress query knows whether the container is still going
    elif is_open and len(ran) < len(children):
        status = "running"
    else:
        status = "completed"
    statuses[node.key] = {**statuses.get(node.key, {}), "status": status}


def _branch(graph: Graph, statuses: Mapping[str, dict], key: str, completed: bool) -> str | None:
    targets = {edge.kind: edge.target for edge in graph.outgoing(key) if edge.kind in BRANCHES}
    ran = [kind for kind, target in targets.items() if _status(statuses, target) in REACHED]
    if len(ran) == 1:
        return ran[0]
    ends = [kind for kind, target in targets.items() if graph.by_key[target].type == "end"]
    if completed and not ran and len(ends) == 1:
        return ends[0]
    return None


def _taken(graph: Graph, statuses: Mapping[str, dict], edge: IREdge, completed: bool) -> bool:
    source = _status(statuses, edge.source)
    if edge.kind == "error":
        return source == "failed"
    if edge.kind in BRANCHES:
        return source == "completed" and _branch(graph, statuses, edge.source, completed) == edge.kind
    return source == "completed"


def _follow_path(graph: Graph, statuses: dict, *, completed: bool) -> None:
    """Nodes that leave no event become completed once the run went through them.

    Conditions once evaluated, end nodes once reached, and any other step
    without a status (an assignment) once entered (or the first of a container
    that ran) with the flow gone on to the next step, or, the last of its
    slot, entered with the flow gone on after its container.
    """
    for node in graph.nodes:
        if _status(statuses, node.key) in REACHED or node.type not in NODE_TYPES:
            continue
        entered = any(_taken(graph, statuses, edge, completed) for edge in graph.incoming(node.key))
        outgoing = graph.outgoing(node.key)
        if node.type == "condition":
            passed = entered or any(_status(statuses, e.target) in REACHED for e in outgoing if e.kind in BRANCHES)
        elif node.type == "end":
            passed = entered
        elif NODE_TYPES[node.type].role == STEP and node.key not in statuses:  # the progress query knows it not
            first = not graph.incoming(node.key) and _status(statuses, node.parent or "") in REACHED
            went_on = any(_status(statuses, e.target) in REACHED for e in outgoing if e.kind == "next")
            left = not outgoing and entered and _went_on(graph, statuses, node.parent)  # the last of its slot
            passed = (entered or first) and went_on or left
        else:
            passed = False
        if passed:
            statuses[node.key] = {**statuses.get(node.key, {}), "status": "completed"}


def _went_on(graph: Graph, statuses: Mapping[str, dict], key: str | None) -> bool:
    return key is not None and any(
        _status(statuses, edge.target) in REACHED for edge in graph.outgoing(key) if edge.kind == "next"
    )
