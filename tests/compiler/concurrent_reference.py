"""Hand-written Temporal workflows that a map node and a parallel node are measured against.

What a user would write without the studio: `workflow.execute_activity` for
each item (or branch) and `asyncio.gather`. tests/compiler/test_concurrent_nodes.py
runs them beside the compiled graphs on the dev server and compares the
number of history events.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow

TIMEOUT = timedelta(seconds=30)


@workflow.defn(name="reference-map")
class ReferenceMap:
    @workflow.run
    async def run(self, items: list) -> list:
        calls = (workflow.execute_activity("echo", {"value": item}, start_to_close_timeout=TIMEOUT) for item in items)
        return list(await asyncio.gather(*calls))


@workflow.defn(name="reference-parallel")
class ReferenceParallel:
    @workflow.run
    async def run(self, branches: int) -> list:
        calls = (
            workflow.execute_activity("echo", {"value": n}, start_to_close_timeout=TIMEOUT) for n in range(branches)
        )
        return list(await asyncio.gather(*calls))
