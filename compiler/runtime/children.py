"""The child workflows a run started, for the `cancel_children` signal action.

Generated workflows keep `self._children = Children()`: child workflow ids
mapped to their handles (asyncio tasks; cancelling one asks Temporal to
cancel that child, and cancelling a finished one does nothing). Spawners
register their children here too.

A signal can arrive in the same workflow task in which a child's start is
confirmed; Temporal's Python SDK runs signal handlers first, so that child
is not registered yet when `cancel_all()` runs. `start()` notices that a
cancel was requested while it waited and cancels the child right away.

A spawner starts its children with `run()` instead, one task per child, so
that all the children it may start are started in the same workflow task.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

Handle = TypeVar("Handle", bound=Any)


class Children(dict):
    """Child workflow id -> handle; `cancel_all()` cancels every one still running."""

    def __init__(self) -> None:
        super().__init__()
        self.cancel_requests = 0

    def cancel_all(self) -> None:
        self.cancel_requests += 1
        for handle in list(self.values()):
            handle.cancel()

    async def run(self, starting: Awaitable[Handle]) -> Any:
        """Start a child, register it, and wait for its result (a spawner runs one per child, as a task)."""
        return await (await self.start(starting))

    async def start(self, starting: Awaitable[Handle]) -> Handle:
        """Await a child's start and register its handle (cancelled at once if `cancel_all()` ran meanwhile)."""
        requests = self.cancel_requests
        handle = await starting
        self[handle.id] = handle
        if self.cancel_requests != requests:
            handle.cancel()
        return handle
