"""Concurrent steps inside one workflow: a parallel node's branches and a map node's items.

Both run as asyncio tasks on the workflow's own deterministic event loop
(no child workflows): tasks are created in a fixed order, `workflow.wait`
reports the first failure, and the semaphore that bounds a map hands out
its slots first come, first served, so a replay makes the same calls in the
same order.

- `run_branches`: every branch runs at once; the first one that fails
  cancels the others (they finish their cancellation first) and its failure
  is raised as it is, so an activity's failure reaches the parallel node's
  `error` edge like a single step's would.
- `map_items`: one call per item, at most `max_concurrency` at a time,
  results in item order. `fail_fast` cancels the calls still running or
  waiting on the first failure and fails the step with
  `ApplicationError(type="MapItemFailed")` naming the item; `collect` lets
  every item finish and reports each one as `{"status", "result", "error"}`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from compiler.runtime.retry import error_text
from vocabulary import MAP_FAILURE_POLICIES

MAP_ITEM_FAILED = "MapItemFailed"


async def run_branches(branches: list[Coroutine[Any, Any, None]]) -> None:
    """Run the branches side by side and join them; the first failure cancels the rest and is raised."""
    tasks = [asyncio.create_task(branch) for branch in branches]
    await _first_failure(tasks)


async def map_items(
    key: str,
    items: Iterable[Any],
    call: Callable[[Any], Awaitable[Any]],
    *,
    max_concurrency: int,
    on_failure: str,
) -> list[Any]:
    """`call(item)` for each item, at most `max_concurrency` at a time; the results in item order."""
    assert on_failure in MAP_FAILURE_POLICIES, on_failure
    items = list(items)
    if max_concurrency < 1:
        raise ApplicationError(
            f"map {key}: max_concurrency must be at least 1, not {max_concurrency}", type="ValueError"
        )
    slots = asyncio.Semaphore(max_concurrency)

    async def one(item: Any) -> Any:
        async with slots:
            return await call(item)

    tasks = [asyncio.create_task(one(item)) for item in items]
    if on_failure == "fail_fast":
        failed = await _first_failure(tasks, raised=False)
        if failed is not None:
            index, failure = failed
            raise ApplicationError(
                f"map {key}: item {index + 1} of {len(items)} failed: {error_text(failure)}", type=MAP_ITEM_FAILED
            ) from failure
        return [task.result() for task in tasks]
    await asyncio.gather(*tasks, return_exceptions=True)
    return [_outcome(task) for task in tasks]


async def _first_failure(tasks: list[asyncio.Task], *, raised: bool = True) -> tuple[int, BaseException] | None:
    """Wait for every task or the first failure; on a failure cancel the rest, let them end, then
    raise it (or return it with its index when `raised` is False)."""
    pending = set(tasks)
    while pending:
        _, pending = await workflow.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
        failed = next(
            (index for index, task in enumerate(tasks) if task.done() and not task.cancelled() and task.exception()),
            None,
        )
        if failed is not None:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            failure = tasks[failed].exception()
            assert failure is not None
            if raised:
                raise failure
            return failed, failure
    return None


def _outcome(task: asyncio.Task) -> dict[str, Any]:
    failure = task.exception()
    if failure is None:
        return {"status": "completed", "result": task.result(), "error": None}
    return {"status": "failed", "result": None, "error": error_text(failure)}
