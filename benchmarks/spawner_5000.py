"""A compiled spawner over 5,000 trivial children within Temporal's limits: `python benchmarks/spawner_5000.py`.

Starts a local Temporal dev server, compiles a spawner over N items
(default 5,000, window 50) with the node's default continue-as-new
threshold, runs it and follows the chain of runs it continued into.
Prints the items run (each child id once), the runs, the most events in
one run, the longest workflow task (WorkflowTaskStarted to its
WorkflowTaskCompleted, by the server's timestamps), the largest input
carried to a new run, and the wall time, against the targets of issue 16:
at most 10,000 events per run and no workflow task over 1 s.
tests/compiler/test_spawner_continue_as_new.py runs a small version with a
low threshold, so that it continues as new several times.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from temporalio.api.enums.v1 import EventType  # noqa: E402
from temporalio.worker import Worker  # noqa: E402

ITEMS = 5_000
WINDOW = 50
EVENTS_TARGET = 10_000
TASK_TARGET = 1.0  # seconds
CHILD = "noop-child"


@dataclass
class Chain:
    """What the runs of one workflow id did, first run first."""

    events: list[int] = field(default_factory=list)  # per run
    tasks: list[tuple[float, int, int, int]] = field(default_factory=list)  # (seconds, run, task, tasks in run)
    largest_carried: int = 0  # bytes of the input handed to a new run
    children: list[str] = field(default_factory=list)  # child workflow ids, in start order over all runs
    result: object = None
    seconds: float = 0.0

    @property
    def runs(self) -> int:
        return len(self.events)

    @property
    def longest_task(self) -> float:
        return max(seconds for seconds, *_ in self.tasks)


def documents(identifier: str = "spawner-5000", continue_as_new_events: int | None = None) -> list[dict]:
    """A spawner over `input.items` (names), window `input.window`, and its trivial child, as editor documents.

    benchmarks/spawner_history.py measures the same spawner under another workflow type.
    """
    child = {
        "identifier": CHILD,
        "nodes": [
            {"key": "start", "type": "start"},
            {"key": "done", "type": "end", "config": {"result": "input"}},
        ],
        "edges": [{"source": "start", "target": "done", "kind": "next"}],
    }
    config = {
        "items": "input.items",
        "workflow": CHILD,
        "item_key": "item",
        "input": "{'name': item}",
        "max_concurrency": "input.window",
        "on_failure": "continue",
        "result_var": "outcome",
    }
    if continue_as_new_events is not None:
        config["continue_as_new_events"] = continue_as_new_events
    parent = {
        "identifier": identifier,
        "nodes": [
            {"key": "start", "type": "start"},
            {"key": "batch", "type": "spawner", "label": "Batch", "config": config},
            {"key": "done", "type": "end", "config": {"result": "outcome"}},
        ],
        "edges": [
            {"source": "start", "target": "batch", "kind": "next"},
            {"source": "batch", "target": "done", "kind": "next"},
        ],
    }
    return [parent, child]


def compiled_workflows(directory: Path, continue_as_new_events: int | None = None) -> dict[str, type]:
    from tests.compiler.execution import load_documents

    return load_documents(directory, *documents(continue_as_new_events=continue_as_new_events))


async def run_chain(
    env, workflows: dict[str, type], workflow_type: str, payload: dict, task_queue: str = "", activities: list = ()
) -> Chain:
    """Run `workflow_type` to its end on a worker of its own and measure every run of its chain.

    The workflow id is in the scope of the project the task queue names (its first eight characters).
    """
    from compiler.runtime.project_ids import project_prefix

    queue = task_queue or f"{uuid.uuid4().hex[:8]}-spawner-5000"
    workflow_id = f"{project_prefix(queue)}{workflow_type}-{uuid.uuid4().hex[:8]}"
    async with Worker(env.client, task_queue=queue, workflows=list(workflows.values()), activities=list(activities)):
        began = time.perf_counter()
        handle = await env.client.start_workflow(
            workflow_type, payload, id=workflow_id, task_queue=queue, execution_timeout=timedelta(hours=2)
        )
        result = await handle.result()  # follows the continued runs
        chain = Chain(result=result, seconds=time.perf_counter() - began)
    run_id = handle.first_execution_run_id or handle.result_run_id
    while run_id:
        run_id = await _measure_run(env.client, workflow_id, run_id, chain)
    return chain


async def _measure_run(client, workflow_id: str, run_id: str, chain: Chain) -> str | None:
    """Add one run's figures to `chain`; the id of the run it continued as, if any."""
    events = [event async for event in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events()]
    chain.events.append(len(events))
    started = {}
    following = None
    tasks = []
    for event in events:
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            started[event.event_id] = event.event_time.ToDatetime()
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            attributes = event.workflow_task_completed_event_attributes
            tasks.append((event.event_time.ToDatetime() - started[attributes.started_event_id]).total_seconds())
        elif kind == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
            chain.children.append(
                event.child_workflow_execution_started_event_attributes.workflow_execution.workflow_id
            )
        elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
            attributes = event.workflow_execution_continued_as_new_event_attributes
            chain.largest_carried = max(chain.largest_carried, attributes.input.ByteSize())
            following = attributes.new_execution_run_id
    chain.tasks += [(seconds, len(chain.events), number, len(tasks)) for number, seconds in enumerate(tasks, 1)]
    return following


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


async def main() -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from tests.temporal_support import start_dev_server

    items = int(sys.argv[1]) if len(sys.argv) > 1 else ITEMS
    names = [f"item-{index}" for index in range(items)]
    env = await start_dev_server()
    try:
        with tempfile.TemporaryDirectory() as directory:
            workflows = compiled_workflows(Path(directory))
            chain = await run_chain(env, workflows, "spawner-5000", {"items": names, "window": WINDOW})
    finally:
        await env.shutdown()
    completed = sum(entry["status"] == "completed" for entry in chain.result.values())
    once = len(chain.children) == len(set(chain.children)) == items == completed
    print(f"spawner over {items} trivial children, window {WINDOW}, dev server, default continue-as-new threshold")
    print(f"  items run: {len(set(chain.children))} children, {completed} completed, each once: {verdict(once)}")
    within = print_limits(chain)
    return 0 if once and within else 1


def print_limits(chain: Chain) -> bool:
    """Print the runs, their events, the slowest tasks, the carried input and the wall time; targets met?"""
    print(f"  runs: {chain.runs} ({chain.runs - 1} continue-as-new); events per run: {chain.events}")
    most = max(chain.events)
    print(f"  max events in one run: {most} (target <= {EVENTS_TARGET}: {verdict(most <= EVENTS_TARGET)})")
    longest = chain.longest_task
    print(f"  longest workflow task: {longest:.3f} s (target <= {TASK_TARGET} s: {verdict(longest <= TASK_TARGET)})")
    slow = sorted(chain.tasks, reverse=True)[:3]
    where = ", ".join(f"{seconds:.2f} s (run {run}, task {task} of {count})" for seconds, run, task, count in slow)
    over = sum(seconds > TASK_TARGET for seconds, *_ in chain.tasks)
    print(f"  slowest tasks: {where}; {over} of {len(chain.tasks)} tasks over {TASK_TARGET} s")
    print(f"  largest input carried to a new run: {chain.largest_carried / 1e6:.2f} MB (Temporal's limit 2 MB)")
    print(f"  wall time: {chain.seconds:.1f} s")
    return most <= EVENTS_TARGET and longest <= TASK_TARGET


if __name__ == "__main__":
    import asyncio

    sys.exit(asyncio.run(main()))
