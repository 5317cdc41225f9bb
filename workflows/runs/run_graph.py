"""The run page's graph and the details of its selected node.

The graph is the editor's drawing (workflows.canvas.svg) of the build the run
runs on, with the statuses `describe_run` completed (compiler.runs.overlay):
each node's status text says how many attempts it took (a container's only
when none of its children says the same: the two would stack), and the edges
the run went along are marked `edge--taken`. It sits in the editor's `#canvas`
element so static/js/canvas.js gives it fit, zoom and pan, fitted on load.

The details panel shows one node: its steps in the history (inputs, output,
timings), each attempt with its error and the back-off after it, and a child
run as a link to its own page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from compiler.project_reader import graph_document
from compiler.runs.history import RunDetail, Step
from compiler.runs.overlay import retry_block_of, taken_edges
from workflows.canvas.svg import canvas_context, document_layout


def status_text(status: dict | None, attempts: int) -> str:
    """ "completed · 3 attempts", "retrying · attempt 2", "failed": what the canvas writes above a node."""
    if not status:
        return ""
    text = status.get("status", "")
    if text == "retrying" and status.get("attempt"):
        return f"retrying · attempt {status['attempt']}"
    return f"{text} · {attempts} attempts" if attempts > 1 else text


def run_canvas(detail: RunDetail, selected: str | None = None) -> dict[str, Any]:
    """What `_canvas_svg.html` draws for this run (nothing when the build's graph is empty)."""
    if detail.graph is None or not detail.graph.nodes:
        return {}
    context = canvas_context(document_layout(graph_document(detail.graph)), selected=selected, statuses=detail.statuses)
    texts = {key: status_text(detail.statuses.get(key), detail.attempts.get(key, 1)) for key in detail.graph.by_key}
    for view in context["nodes"]:
        view.status_text = texts[view.key]
        # A container's text sits just above its first child's: say it only when no child says the same.
        if view.shape == "container" and any(
            texts[child.key] == view.status_text for child in _inside(detail, view.key)
        ):
            view.status_text = ""
    taken = {edge.name for edge in taken_edges(detail.graph, detail.statuses, run_status=detail.status)}
    for view in context["edges"]:
        if f"{view.source} -{view.kind}-> {view.target}" in taken:
            view.classes += " edge--taken"
    return {**context, "editable": False, "workflow": {"name": detail.graph.name or detail.workflow}}


def _inside(detail: RunDetail, key: str) -> list:
    return [node for node in detail.graph.nodes if node.parent == key]


@dataclass
class Attempt:
    """One execution of a step: its history step, and the back-off the retry block waited after it failed."""

    number: int
    step: Step
    backoff: Step | None = None
    child_url: str = ""


@dataclass
class NodeDetails:
    key: str
    label: str
    type: str
    status: str
    attempts: list[Attempt] = field(default_factory=list)
    retried_by_temporal: bool = False  # one step, several Temporal attempts: only the last failure before is known
    in_retry_block: bool = False  # its steps are a retry block's attempts (else runs: loop rounds, items, children)
    inside: str = ""  # the retry block a step's attempts belong to


def node_details(detail: RunDetail, key: str | None, slug: str) -> NodeDetails | None:
    """The selected node's details; None for no or an unknown key (the panel then says how to choose one)."""
    graph = detail.graph
    node = graph.by_key.get(key or "") if graph else None
    if node is None:
        return None
    by_key = detail.steps_by_key()
    block = node if node.type == "retry_block" else retry_block_of(graph, node)
    shown = node if node is not block else _first_body_step(graph, node, by_key)
    steps = [step for step in by_key.get(shown.key, []) if step.kind != "backoff"] if shown else []
    backoffs = by_key.get(block.key, []) if block else []
    backoffs = [step for step in backoffs if step.kind == "backoff"]
    attempts = [
        Attempt(number, step, backoffs[number - 1] if number <= len(backoffs) else None, _child_url(step, slug))
        for number, step in enumerate(steps, start=1)
    ]
    return NodeDetails(
        key=node.key,
        label=node.label or node.key,
        type=node.type,
        status=detail.statuses.get(node.key, {}).get("status", ""),
        attempts=attempts,
        retried_by_temporal=len(steps) == 1 and steps[0].attempts > 1,
        in_retry_block=block is not None,
        inside=block.label or block.key if block and block is not node else "",
    )


def _first_body_step(graph, block, by_key):
    """A retry block's attempts are those of the first step in its body that ran."""
    return next((child for child in graph.children(block.key, "body") if child.key in by_key), None)


def _child_url(step: Step, slug: str) -> str:
    if step.kind != "child_workflow" or not step.child_id:
        return ""
    url = reverse("workflows:run-detail", args=(slug, step.child_id))
    return f"{url}?run={step.child_run_id}" if step.child_run_id else url
