"""`describe_run`: one run as the run page shows it, read from Temporal.

Per-node statuses come from two places:

- the event history, for every run: activities carry the node key as their
  activity id (`<key>`, or `<key>-<n>` inside loops), timers and child
  workflows carry the node's label as their summary;
- the built-in `progress` query, which also knows containers (phase,
  loop, retry block) and the current phase: always while the run is open,
  and for a closed run while its build still has a worker (which answers
  by replaying the history). When no worker answers in time the history
  alone is shown, with a note saying so.

`compiler.runs.overlay` then completes them for the canvas: the path taken
(conditions, end nodes), one status per container, attempt counts.

The history also gives the timeline (each step's start, duration and
attempts) and each step's input and output, decoded with the client's data
converter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
)
from temporalio.service import RPCError

from compiler import temporal
from compiler.ir import Graph
from compiler.models import ACTIVE_STATUSES, Deployment
from compiler.runs.control import Run, declared_signals, fields_template, project_handle, run_build_id, run_graph
from compiler.runs.overlay import attempt_counts, run_statuses
from projects.models import Project

PROGRESS_TIMEOUT = timedelta(seconds=2)
BACKOFF_SUMMARY = "Back off before the next attempt of {label}"  # as compiler/emit/containers.py writes it
COUNTER_SUFFIX = re.compile(r"-\d+$")


@dataclass
class Step:
    """One activity, timer or child workflow execution, or a received signal, in the history."""

    key: str | None
    kind: str  # activity, timer, backoff (a retry block's, between attempts), child_workflow, signal (received)
    name: str
    start: datetime
    close: datetime | None = None
    status: str = "running"
    attempts: int = 1
    input: Any = None
    output: Any = None
    error: str = ""
    previous_error: str = ""  # an activity Temporal retried: the failure of the attempt before the last
    child_id: str = ""  # a child workflow: its workflow id and, once started, its run id
    child_run_id: str = ""

    @property
    def duration(self) -> float | None:
        return (self.close - self.start).total_seconds() if self.close else None


@dataclass
class RunDetail(Run):
    """One run as its page shows it: the run, its history read into steps, its progress and its graph."""

    input: Any = None
    result: Any = None
    failure: str = ""
    phase: str | None = None
    statuses: dict[str, dict] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    pending: list[dict] = field(default_factory=list)
    signals: list[dict] = field(default_factory=list)
    web_url: str = ""
    progress_note: str = ""
    items: dict[str, dict[str, str]] = field(default_factory=dict)  # progress query: spawner key -> item statuses
    attempts: dict[str, int] = field(default_factory=dict)  # node key -> attempts, for nodes that ran more than once
    # The graph of the build the run runs on (compiler.runs.control.run_graph): what the run page draws.
    graph: Graph | None = None

    def steps_by_key(self) -> dict[str, list[Step]]:
        grouped: dict[str, list[Step]] = {}
        for step in self.steps:
            grouped.setdefault(step.key or step.name, []).append(step)
        return grouped


def web_url(workflow_id: str, run_id: str) -> str:
    base = settings.TEMPORAL_WEB_URL.rstrip("/")
    return f"{base}/namespaces/{quote(temporal.namespace())}/workflows/{quote(workflow_id, safe='')}/{run_id}/history"


def describe_run(project: Project, workflow_id: str, run_id: str | None = None) -> RunDetail:
    """Everything the run page shows; `RunNotFound` for runs of other projects or unknown ids."""

    async def read(client: Client):
        handle, description = await project_handle(client, project, workflow_id, run_id)
        return description, [event async for event in handle.fetch_history_events()]

    description, events = temporal.call(read)
    graph = run_graph(project, description)
    detail = _detail(description)
    detail.graph = graph
    temporal.call(lambda client: _read_history(client, graph, events, detail))
    _apply_endpoints(detail, graph)
    _apply_pending(detail, graph, description)
    if detail.is_open or _build_is_served(project, detail.build_id):
        progress, detail.progress_note = temporal.call(
            lambda client: _progress(client.get_workflow_handle(description.id, run_id=description.run_id))
        )
        _apply_progress(detail, progress)
    detail.statuses = run_statuses(
        graph, detail.statuses, run_status=detail.status, steps_by_key=detail.steps_by_key(), queried=detail.items
    )
    detail.attempts = attempt_counts(graph, detail.steps_by_key())
    detail.signals = [_signal_form(name, node) for name, node in sorted(declared_signals(graph).items())]
    return detail


def _build_is_served(project: Project, build_id: str) -> bool:
    """A worker of the build still runs (so it can answer a query on a closed run by replaying it)."""
    return Deployment.objects.filter(project=project, build_id=build_id, status__in=ACTIVE_STATUSES).exists()


def _signal_form(name: str, node) -> dict:
    """A declared signal and a payload to start from (its fields with defaults; empty when it takes any value)."""
    fields = node.config.get("payload_fields") or []
    template = json.dumps(fields_template(fields)) if fields else ""
    return {"name": name, "label": node.label, "payload_fields": fields, "template": template}


def _detail(description: WorkflowExecutionDescription) -> RunDetail:
    return RunDetail.of(description, run_build_id(description), web_url=web_url(description.id, description.run_id))


async def _progress(handle: WorkflowHandle) -> tuple[dict | None, str]:
    """The `progress` query's answer (a closed run answers by replay), or None and why not."""
    try:
        return await handle.query("progress", rpc_timeout=PROGRESS_TIMEOUT), ""
    except (RPCError, WorkflowQueryFailedError, WorkflowQueryRejectedError) as error:
        return None, f"No worker answered the progress query ({error}); statuses come from the history only."


def failure_text(failure) -> str:
    """A failure and its causes in one line ("Activity task failed: All connection attempts failed")."""
    messages = []
    while failure is not None and failure.message:
        messages.append(failure.message)
        failure = failure.cause if failure.HasField("cause") else None
    return ": ".join(messages)


def _key_for(graph: Graph, activity_id: str) -> str | None:
    if activity_id in graph.by_key:
        return activity_id
    base = COUNTER_SUFFIX.sub("", activity_id)
    return base if base in graph.by_key else None


def _label_keys(graph: Graph) -> dict[str, str]:
    """Label (or key) -> node key, for labels used by one node only (timers and children are found by summary)."""
    counts: dict[str, list[str]] = {}
    for node in graph.nodes:
        counts.setdefault(node.label or node.key, []).append(node.key)
    return {label: keys[0] for label, keys in counts.items() if len(keys) == 1}


def _backoff_keys(graph: Graph) -> dict[str, str]:
    """A retry block's back-off timer summary (compiler/emit/containers.py) -> the block's key."""
    return {BACKOFF_SUMMARY.format(label=node.label or node.key): node.key for node in graph.of_type("retry_block")}


async def _read_history(client: Client, graph: Graph, events: list[HistoryEvent], detail: RunDetail) -> None:
    """Fill input, result or failure, and the steps, from the events in order."""
    converter = client.data_converter

    async def decode(payloads) -> Any:
        values = await converter.decode(list(payloads.payloads)) if payloads.payloads else []
        return values[0] if len(values) == 1 else (values or None)

    async def summary_of(event: HistoryEvent) -> str:
        if not event.user_metadata.HasField("summary"):
            return ""
        return str((await converter.decode([event.user_metadata.summary]))[0])

    labels, backoffs, handlers = _label_keys(graph), _backoff_keys(graph), declared_signals(graph)
    by_event: dict[int, Step] = {}
    for event in events:
        at = event.event_time.ToDatetime(tzinfo=UTC)
        kind = event.WhichOneof("attributes")
        attrs = getattr(event, kind) if kind else None
        if kind == "workflow_execution_started_event_attributes":
            detail.input = await decode(attrs.input)
        elif kind == "workflow_execution_completed_event_attributes":
            detail.result = await decode(attrs.result)
        elif kind in ("workflow_execution_failed_event_attributes", "workflow_execution_timed_out_event_attributes"):
            detail.failure = failure_text(attrs.failure) if kind.endswith("failed_event_attributes") else "timed out"
        elif kind == "workflow_execution_terminated_event_attributes":
            detail.failure = f"terminated: {attrs.reason}" if attrs.reason else "terminated"
        elif kind == "workflow_execution_canceled_event_attributes":
            detail.failure = "canceled"
        elif kind == "activity_task_scheduled_event_attributes":
            step = Step(_key_for(graph, attrs.activity_id), "activity", attrs.activity_type.name, at)
            step.input = await decode(attrs.input)
            by_event[event.event_id] = step
        elif kind == "timer_started_event_attributes":
            label = await summary_of(event)
            if label in backoffs:
                by_event[event.event_id] = Step(backoffs[label], "backoff", label, at)
            else:
                by_event[event.event_id] = Step(labels.get(label), "timer", label or f"timer {attrs.timer_id}", at)
        elif kind == "start_child_workflow_execution_initiated_event_attributes":
            label = await summary_of(event)
            step = Step(labels.get(label), "child_workflow", f"{attrs.workflow_type.name} ({attrs.workflow_id})", at)
            step.input, step.child_id = await decode(attrs.input), attrs.workflow_id
            by_event[event.event_id] = step
        elif kind == "workflow_execution_signaled_event_attributes":
            handler = handlers.get(attrs.signal_name)
            step = Step(handler.key if handler else None, "signal", attrs.signal_name, at, at, "completed")
            step.input = await decode(attrs.input)
            by_event[event.event_id] = step
        else:
            await _close_step(kind, attrs, at, by_event, decode)
    detail.steps = sorted(by_event.values(), key=lambda step: step.start)
    for step in detail.steps:
        if step.key and step.kind != "backoff":  # a retry block's status comes from its steps (compiler.runs.overlay)
            detail.statuses[step.key] = {"status": step.status, "attempt": step.attempts}


STEP_ENDINGS = {
    "activity_task_started_event_attributes": ("scheduled_event_id", None),
    "child_workflow_execution_started_event_attributes": ("initiated_event_id", None),
    "activity_task_completed_event_attributes": ("scheduled_event_id", "completed"),
    "activity_task_failed_event_attributes": ("scheduled_event_id", "failed"),
    "activity_task_timed_out_event_attributes": ("scheduled_event_id", "failed"),
    "activity_task_canceled_event_attributes": ("scheduled_event_id", "failed"),
    "timer_fired_event_attributes": ("started_event_id", "completed"),
    "timer_canceled_event_attributes": ("started_event_id", "skipped"),
    "child_workflow_execution_completed_event_attributes": ("initiated_event_id", "completed"),
    "child_workflow_execution_failed_event_attributes": ("initiated_event_id", "failed"),
    "child_workflow_execution_canceled_event_attributes": ("initiated_event_id", "failed"),
    "child_workflow_execution_timed_out_event_attributes": ("initiated_event_id", "failed"),
    "child_workflow_execution_terminated_event_attributes": ("initiated_event_id", "failed"),
    "start_child_workflow_execution_failed_event_attributes": ("initiated_event_id", "failed"),
}


async def _close_step(kind, attrs, at: datetime, by_event: dict[int, Step], decode) -> None:
    """Events that end (or start an attempt of) a step opened earlier."""
    if kind not in STEP_ENDINGS:
        return
    id_field, status = STEP_ENDINGS[kind]
    step = by_event.get(getattr(attrs, id_field))
    if step is None:
        return
    if kind == "activity_task_started_event_attributes":
        step.attempts = attrs.attempt
        step.previous_error = failure_text(attrs.last_failure) if attrs.HasField("last_failure") else ""
        return
    if kind == "child_workflow_execution_started_event_attributes":
        step.child_run_id = attrs.workflow_execution.run_id
        return
    step.status, step.close = status, at
    if hasattr(attrs, "result"):
        step.output = await decode(attrs.result)
    if hasattr(attrs, "failure") and attrs.HasField("failure"):
        step.error = failure_text(attrs.failure)


def _apply_endpoints(detail: RunDetail, graph: Graph) -> None:
    """The start node ran once the run exists; a completed run with one end node ended there."""
    for start in graph.of_type("start"):
        detail.statuses[start.key] = {"status": "completed"}
    ends = graph.of_type("end")
    if detail.status == "completed" and len(ends) == 1:
        detail.statuses[ends[0].key] = {"status": "completed"}


def _apply_pending(detail: RunDetail, graph: Graph, description: WorkflowExecutionDescription) -> None:
    """Activities still running or waiting for a retry, with their attempt counts."""
    for pending in description.raw_description.pending_activities:
        key = _key_for(graph, pending.activity_id)
        row = {
            "activity_id": pending.activity_id,
            "activity": pending.activity_type.name,
            "attempt": pending.attempt,
            "maximum_attempts": pending.maximum_attempts,
            "state": PendingActivityState.Name(pending.state).removeprefix("PENDING_ACTIVITY_STATE_").lower(),
            "last_failure": failure_text(pending.last_failure),
        }
        detail.pending.append(row)
        if key and pending.attempt > 1:
            detail.statuses[key] = {"status": "retrying", "attempt": pending.attempt}


def _apply_progress(detail: RunDetail, progress: dict | None) -> None:
    """The query knows every tracked node (containers too); the history adds attempt counts.

    In a completed run a node still pending was never reached (a branch not taken): it is shown skipped.
    """
    if not progress:
        return
    detail.phase = progress.get("phase")
    detail.items = progress.get("items") or {}
    for key, status in (progress.get("nodes") or {}).items():
        known = detail.statuses.get(key, {})
        if known.get("status") == "retrying" and status == "running":
            continue
        if status == "pending" and detail.status == "completed":
            status = "skipped"
        detail.statuses[key] = {"status": status, "attempt": known.get("attempt", 1)}
