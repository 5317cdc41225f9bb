"""A hand-written batch workflow: what a compiled spawner is measured against (issue 16).

Modelled on Temporal's sliding-window batch sample (samples-python,
`batch_sliding_window`): at most `window` child workflows run at once and a
new one starts as soon as one finishes; every child that may start is
started in the same workflow task (one task per child, awaited together).
Unlike the sample, the parent waits on its children directly instead of
continuing as new and hearing from them by signal, which is what a
spawner over a few hundred items does too.
benchmarks/spawner_history.py runs both and counts their history events.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow


@workflow.defn(name="reference-batch")
class ReferenceBatch:
    @workflow.run
    async def run(self, input: dict) -> dict:
        """`input`: {"items": [names], "window": n, "child": workflow type}; returns {name: child result}."""
        waiting = list(input["items"])
        running: set[asyncio.Task] = set()
        results: dict[str, object] = {}
        while waiting or running:
            while waiting and len(running) < input["window"]:
                running.add(asyncio.create_task(self._child(input["child"], waiting.pop(0))))
            finished, still_running = await workflow.wait(running, return_when=asyncio.FIRST_COMPLETED)
            running = set(still_running)
            for task in finished:
                name, result = task.result()
                results[name] = result
        return results

    async def _child(self, child: str, name: str) -> tuple[str, object]:
        result = await workflow.execute_child_workflow(
            child, {"name": name}, id=f"{workflow.info().workflow_id}-{name}"
        )
        return name, result
