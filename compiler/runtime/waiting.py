"""A wait node with a timeout: waiting that gives up as a failure, so the node's error edge takes it.

`workflow.wait_condition` raises asyncio's TimeoutError when the timeout
passes; an error edge catches FailureError (compiler/emit/flow.py), and a
run without one should fail with a message that names the node, not with a
bare TimeoutError. So the timeout becomes a non-retryable
ApplicationError of type `WaitTimedOut`.
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow
from temporalio.exceptions import ApplicationError


async def wait_until(ready: Callable[[], bool], timeout: float, step: str, summary: str) -> None:
    """Wait until `ready()` is true; after `timeout` seconds raise ApplicationError(type="WaitTimedOut")."""
    try:
        await workflow.wait_condition(ready, timeout=timeout, timeout_summary=summary)
    except TimeoutError:
        raise ApplicationError(
            f"{summary}: still waiting after {timeout:g} seconds",
            {"step": step},
            type="WaitTimedOut",
            non_retryable=True,
        ) from None
