"""Run-time glue for the spawner and dependency_graph nodes of generated workflows.

Generated code keeps the Temporal calls visible (`start_child_workflow`,
`workflow.wait(..., return_when=FIRST_COMPLETED)`, `workflow.wait_condition`)
and asks a `Spawn` what to do between them: which items to start, which
children finished and with what outcome, what to report. The bookkeeping
(dependencies, concurrency, failure policies, deadlock) is
compiler.runtime.scheduling.DependencyScheduler's.

Like the rest of compiler.runtime this runs inside the workflow sandbox: no
I/O, no clocks, no randomness, and every ordering is explicit (items in list
order, running children in start order), so replays are deterministic. Child
handles are only duck-typed (`done()`, `cancelled()`, `exception()`,
`result()`, `cancel()`, `id`), which is what lets the unit tests drive a
`Spawn` with plain asyncio futures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError, is_cancelled_exception

from compiler.runtime.loop import CARRIED_SPAWN
from compiler.runtime.progress import Progress
from compiler.runtime.retry import error_text
from compiler.runtime.scheduling import (
    DependencyCycleError,
    DependencyScheduler,
    UnknownDependencyError,
    dependency_layers,
)

NOT_STARTED_AT_ZERO = "not started: max concurrency was 0"


def dependency_order(items: Mapping[Any, Iterable[Any] | None]) -> list[list[str]]:
    """Build layers for a dependency_graph node; a cycle or an unknown key fails the step.

    The failure is a non-retryable ApplicationError (so an `error` edge catches
    it) whose message names the cycle: "dependency cycle: a -> b -> a".
    """
    try:
        return dependency_layers({_key(key): _keys(depends_on) for key, depends_on in items.items()})
    except DependencyCycleError as cycle:
        raise ApplicationError(str(cycle), cycle.cycle, type="DependencyCycle", non_retryable=True) from None
    except UnknownDependencyError as unknown:
        raise ApplicationError(str(unknown), type="UnknownDependency", non_retryable=True) from None


class Spawn:
    """One run of a spawner node: items, their child handles and their outcomes.

    `max_concurrency` is a function evaluated each time the spawner decides
    what to start (the node's expression, so signals can change it; 0 starts
    nothing new). Static mode (the items expression is evaluated once):
    `add()` every item, `check_dependencies()`, then loop: `start()` what
    `ready()` returns (all in one workflow task), race the `running()`
    children, and handle what `finished()` returns (with on_complete steps:
    `finished(completing=True)`, each handed to `complete()`, which runs the
    steps as a task). Work-queue mode (the items
    are a state list that signals fill): `take()` removes the items to start
    from the list instead, and `changed()` tells a `wait_condition` that the
    list or the limit moved. In both, the round is over when nothing runs
    after starting what could start; `report()` is the result variable and
    `raise_if_failed()` applies fail_fast.

    With `continue_as_new_after` (static mode, a spawner at the top of the
    workflow) `ready()` starts nothing new once the run's history has that
    many events; the children still open finish (a new run could not await
    them), and then `continues_as_new()` says whether items are left: the
    workflow continues as new with `to_state()`, and the new run's spawner
    takes it back with `resume()` instead of adding the items again.
    """

    def __init__(
        self,
        key: str,
        on_failure: str,
        progress: Progress,
        max_concurrency: Callable[[], Any],
        continue_as_new_after: int | None = None,
    ) -> None:
        self.key = key
        self.on_failure = on_failure
        self._scheduler = DependencyScheduler({}, 1, on_failure)
        self._items: dict[str, Any] = {}
        self._depends_on: dict[str, list[str]] = {}
        self._handles: dict[str, Any] = {}
        # Children whose on_complete steps still run: their tasks, and the outcomes recorded when they are done.
        self._completions: dict[str, asyncio.Task] = {}
        self._outcomes: dict[str, tuple[str, Any, str | None]] = {}
        self._max_concurrency = max_concurrency
        self._progress = progress
        self._history_limit = continue_as_new_after
        self._history_full = False
        self._limit = 1
        self._failure: str | None = None
        self._seen: tuple[list, Any] | None = None
        self.order: list[str] = []
        self.max_running = 0
        progress.items[key] = self.statuses

    # -- static mode ------------------------------------------------------

    def add(self, key: Any, item: Any, depends_on: Iterable[Any] | None = None) -> None:
        """Add one item of the items list; keys must be unique."""
        key = _key(key)
        if key in self._items:
            raise ApplicationError(
                f"spawner {self.key}: two items have the key {key!r}; item keys must be unique", non_retryable=True
            )
        self._items[key] = item
        self._depends_on[key] = _keys(depends_on)
        self._scheduler.add_item(key, self._depends_on[key], _priority(item))

    def check_dependencies(self) -> None:
        """Fail before any child starts when the items depend on each other in a cycle (named).

        Dependencies on keys that are not items are left to the deadlock guard:
        those items are reported blocked, the others still run.
        """
        known = {key: [dep for dep in deps if dep in self._items] for key, deps in self._depends_on.items()}
        try:
            dependency_layers(known)
        except DependencyCycleError as cycle:
            raise ApplicationError(
                f"spawner {self.key}: {cycle}", cycle.cycle, type="DependencyCycle", non_retryable=True
            ) from None

    def _free_slots(self) -> int:
        """Evaluate the limit now; how many more children may start (0: none, running ones go on)."""
        limit = self._max_concurrency()
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ApplicationError(
                f"spawner {self.key}: max_concurrency must be a whole number of at least 0, not {limit!r}",
                non_retryable=True,
            )
        self._limit = limit
        if limit:
            self._scheduler.set_max_concurrency(limit)
        taken = len(self._handles) + len(self._completions)  # a child's slot is free after its on_complete steps
        return 0 if self._failure else max(limit - taken, 0)

    def ready(self) -> list[tuple[str, Any]]:
        """(key, item) pairs to start now: dependencies completed, within the limit, by priority.

        None once the run's history reached `continue_as_new_after` events.
        """
        if self._free_slots() == 0 or self._history_is_full():
            return []
        return [(key, self._items[key]) for key in self._scheduler.next_to_start()]

    def _history_is_full(self) -> bool:
        """Whether this run has stopped starting children to continue as new (it never starts again)."""
        if self._history_limit and not self._history_full:
            self._history_full = workflow.info().get_current_history_length() >= self._history_limit
        return self._history_full

    # -- continue-as-new (static mode) ------------------------------------

    def continues_as_new(self) -> bool:
        """After the round: whether it ended for the history's sake with items still to start.

        Not after a fail_fast failure, nor when the limit is 0 or the items
        are deadlocked: the next run could not start anything either.
        """
        return (
            self._history_full and self._failure is None and self._limit > 0 and bool(self._scheduler.next_to_start())
        )

    def to_state(self) -> dict[str, Any]:
        """What the next run needs to go on, as plain data: the workflow input's `__spawn__` entry.

        The scheduler (every item's status and result), the items not
        started yet (the ones that ran are not needed again) and the nodes'
        progress, so the progress query still shows the steps before as done.
        """
        pending = [key for key in self._items if self._scheduler.status(key) == "pending"]
        return {
            "spawner": self.key,
            "scheduler": self._scheduler.to_state(),
            "items": {key: self._items[key] for key in pending},
            "progress": dict(self._progress.nodes),
        }

    def resume(self, input: dict) -> bool:
        """Take this spawner's carried state out of `input`; False on a run that did not continue from it."""
        carried = input.get(CARRIED_SPAWN)
        if not isinstance(carried, dict) or carried.get("spawner") != self.key:
            return False
        del input[CARRIED_SPAWN]
        self._scheduler = DependencyScheduler.from_state(carried["scheduler"])
        self._items = dict(carried["items"])
        known = self._progress.nodes
        known.update((key, status) for key, status in carried["progress"].items() if key in known and key != self.key)
        return True

    # -- work-queue mode --------------------------------------------------

    def take(
        self,
        queue: list,
        *,
        key: Callable[[Any], Any],
        depends_on: Callable[[Any], Iterable[Any] | None] | None = None,
        stop: bool = False,
    ) -> list[tuple[str, Any]]:
        """Remove from `queue` (in place) the items to start now and return them as (key, item).

        Highest `priority` first, then queue order. An item whose key runs or
        completed in this round is a duplicate and is dropped; one whose
        dependencies have not completed in this round stays queued while each
        of them runs or is queued too. One that waits on a key that is neither
        (never queued, or failed) leaves the queue and is reported `blocked`
        with the reason: kept, it would make a loop waiting for a non-empty
        queue start empty rounds without end. With `stop` (the server
        suggests continue-as-new) nothing is taken, so the queue carries over.
        """
        if not isinstance(queue, list):
            raise ApplicationError(f"spawner {self.key}: the queue must be a list, not {type(queue).__name__}")
        free = self._free_slots()  # evaluated even when stopping: `changed()` compares with this limit
        free = 0 if stop else free
        status = self._scheduler.status
        queued = {_key(key(item)) for item in queue}
        taken: dict[str, tuple[Any, list[str]]] = {}
        blocked: dict[str, tuple[Any, list[str]]] = {}
        removed: set[int] = set()
        for index in sorted(range(len(queue)), key=lambda i: (-_priority(queue[i]), i)):
            if len(taken) >= free:
                break
            item = queue[index]
            item_key = _key(key(item))
            if status(item_key) in ("running", "completed") or item_key in taken:
                removed.add(index)
                continue
            deps = _keys(depends_on(item)) if depends_on is not None else []
            if all(status(dep) == "completed" for dep in deps):
                taken[item_key] = (item, deps)
                removed.add(index)
            elif any(status(dep) not in ("running", "completed") and dep not in queued for dep in deps):
                blocked[item_key] = (item, deps)
                removed.add(index)
        queue[:] = [item for index, item in enumerate(queue) if index not in removed]
        for item_key, (item, deps) in [*taken.items(), *blocked.items()]:  # blocked ones stay pending: see report
            self._items[item_key] = item
            self._depends_on[item_key] = deps
            self._scheduler.add_item(item_key, deps, _priority(item))
        self._seen = (list(queue), self._limit)
        return [(item_key, item) for item_key, (item, _) in taken.items()]

    def changed(self, queue: Any) -> bool:
        """Whether the queue or the limit differ from what the last `take()` saw (a reason to wake up)."""
        return self._seen is None or (list(queue), self._max_concurrency()) != self._seen

    # -- both modes -------------------------------------------------------

    def start(self, key: str, child: Awaitable[Any]) -> None:
        """Start the child for `key` without waiting for Temporal to confirm it; it takes a slot now.

        `child` is `self._children.run(workflow.start_child_workflow(...))`
        (it registers the child for cancel_children), run here as a task of
        its own: every item `ready()` or `take()` returned is started in the
        same workflow task, as hand-written code that makes a task per child
        does, instead of one start per task. A start Temporal refuses (the
        child id is taken) is that item's failure. A future (a handle in the
        unit tests) is taken as it is.
        """
        self._scheduler.started(key)
        self._handles[key] = asyncio.ensure_future(child)
        self.order.append(key)
        self.max_running = max(self.max_running, len(self._handles))

    def running(self) -> list[Any]:
        """The running children in start order, then the on_complete tasks (what the first-completed race waits on)."""
        return [*self._handles.values(), *self._completions.values()]

    def has_finished(self) -> bool:
        return any(waited.done() for waited in self.running())

    def finished(self, completing: bool = False) -> list[tuple]:
        """(item, result, child_status, error) of each child done since the last call, in start order.

        Applies the failure policy: under fail_fast the first failure cancels
        every other running child and starts nothing more. With `completing`
        (the spawner has on_complete steps) each tuple starts with the item's
        key, and the outcome is recorded only when the task `complete()` starts
        for it is done: a dependent starts after its dependency's on_complete
        steps, and the child's slot stays taken until then. An on_complete task
        that failed is raised here, after cancelling the other ones.
        """
        self._reap_completions()
        outcomes: list[tuple] = []
        for key in [key for key, handle in self._handles.items() if handle.done()]:
            status, result, error = _outcome(self._handles.pop(key))
            if status == "failed" and self.on_failure == "fail_fast" and self._failure is None:
                self._failure = f"spawner {self.key}: child {key} failed: {error}"
                for other in self._handles.values():
                    other.cancel()
            if completing:
                self._outcomes[key] = (status, result, error)
                outcomes.append((key, self._items[key], result, status, error))
            else:
                self._record(key, status, result, error)
                outcomes.append((self._items[key], result, status, error))
        return outcomes

    def complete(self, key: str, steps: Coroutine[Any, Any, Any]) -> None:
        """Run the on_complete steps of the child for `key` in a task of their own.

        A long one (a back-off timer, a rebuild) then holds up neither the
        other children's completions nor new starts in the other slots; the
        round ends only when these tasks are done too.
        """
        self._completions[key] = asyncio.create_task(steps)

    def _reap_completions(self) -> None:
        for key, task in list(self._completions.items()):
            if not task.done():
                continue
            del self._completions[key]
            self._record(key, *self._outcomes.pop(key))
            if not task.cancelled() and task.exception() is not None:
                for other in self._completions.values():
                    other.cancel()
                raise task.exception()

    def _record(self, key: str, status: str, result: Any, error: str | None) -> None:
        if status == "cancelled":
            self._scheduler.cancelled(key, error or "cancelled")
        else:
            self._scheduler.finished(key, ok=status == "completed", result=result, error=error)

    def report(self) -> dict[str, dict[str, Any]]:
        """Per item key: {status, result, error, reason}; blocked items say what they wait on."""
        report = self._scheduler.report()
        for entry in report.values():
            if entry["status"] == "pending" and self._limit == 0 and not self._handles:
                entry.update(status="cancelled", reason=NOT_STARTED_AT_ZERO)
        return report

    def raise_if_failed(self) -> None:
        """fail_fast: after the round, fail the step with the first child failure."""
        if self._failure is not None:
            raise ApplicationError(self._failure, type="ChildFailed", non_retryable=True)

    def statuses(self) -> dict[str, str]:
        """{item key: status} for the progress query: built when it asks, not on every event."""
        return {key: entry["status"] for key, entry in self.report().items()}


def _outcome(handle: Any) -> tuple[str, Any, str | None]:
    """(child_status, result, error) of a finished child handle."""
    if handle.cancelled():
        return "cancelled", None, "cancelled"
    error = handle.exception()
    if error is None:
        return "completed", handle.result(), None
    return ("cancelled" if is_cancelled_exception(error) else "failed"), None, error_text(error)


def _key(value: Any) -> str:
    """Item keys are text (they become dict keys in JSON); numbers are written out."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ApplicationError(f"an item key must be text or a number, not {type(value).__name__}", non_retryable=True)


def _keys(values: Iterable[Any] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise ApplicationError(f"depends_on must be a list of keys, not {type(values).__name__}", non_retryable=True)
    return [_key(value) for value in values]


def _priority(item: Any) -> float:
    value = item.get("priority") if isinstance(item, Mapping) else None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
