"""Dependency-aware scheduling helpers for generated workflow code.

The spawner and dependency_graph nodes compile to calls into this module, so
it runs inside the Temporal workflow sandbox: standard library only, no I/O,
no clocks, no randomness, and every ordering is explicit (sorted keys or
insertion order), which keeps workflow replays deterministic.

Dependencies must name known items. ``dependency_layers`` rejects unknown
keys and cycles up front; ``DependencyScheduler`` accepts them (items arrive
at run time, e.g. queued by a signal) and reports them through
``deadlocked()`` / ``blocked()``, which is what a deadlock guard needs.

Priority follows insertion order, and Temporal's JSON converter sorts dict
keys: build the items mapping in the workflow from a list (e.g. the
spawner's items expression), not from a dict that crossed a payload. The
scheduler's own ``to_state()`` keeps the order explicitly.

A spawner over thousands of items makes every decision inside one workflow
task, and the SDK fails a task that blocks for about two seconds, so the
scheduler keeps its answers up to date per event instead of scanning the
items: in-degree counters and a ready heap say what may start, and a count
of "doomed" pending items (those that wait, through other pending items, on
a failed, skipped or cancelled one) says whether the run is done or
deadlocked. Each event costs O(log n) amortised; only ``report()`` and
``blocked()`` walk every item, and they are built when asked.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from typing import Any

from vocabulary import FAILURE_POLICIES

TERMINAL = ("completed", "failed", "skipped", "cancelled")
STOPPED = ("failed", "skipped", "cancelled")  # a dependency in one of these never completes on its own
# An item's fields that ``to_state()`` leaves out when they hold these values.
ITEM_DEFAULTS: dict[str, Any] = {"depends_on": [], "priority": 0, "result": None, "error": None, "reason": None}
_NO_DEFAULT = object()


class DependencyCycleError(ValueError):
    """Items depend on each other in a loop; ``cycle`` lists it, first key repeated at the end."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__("dependency cycle: " + " -> ".join(cycle))


class UnknownDependencyError(ValueError):
    """An item depends on a key that is not among the items."""

    def __init__(self, item: str, missing: str) -> None:
        self.item = item
        self.missing = missing
        super().__init__(f"{item!r} depends on {missing!r}, which is not in the list of items")


def dependency_layers(items: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Group items into build layers (Kahn's algorithm with in-degree counts), each layer sorted.

    Every item's dependencies are in earlier layers, so a layer can run in
    parallel. Raises ``UnknownDependencyError`` or ``DependencyCycleError``.
    """
    deps = {key: list(dict.fromkeys(depends_on)) for key, depends_on in items.items()}
    dependents: dict[str, list[str]] = {key: [] for key in deps}
    for key, depends_on in deps.items():
        for dep in depends_on:
            if dep not in deps:
                raise UnknownDependencyError(key, dep)
            dependents[dep].append(key)
    waiting = {key: len(depends_on) for key, depends_on in deps.items()}
    layer = sorted(key for key, count in waiting.items() if count == 0)
    layers: list[list[str]] = []
    while layer:
        layers.append(layer)
        following = []
        for key in layer:
            for dependent in dependents[key]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    following.append(dependent)
        layer = sorted(following)
    if sum(map(len, layers)) < len(deps):
        placed = {key for layer in layers for key in layer}
        raise DependencyCycleError(_find_cycle(deps, sorted(key for key in deps if key not in placed)))
    return layers


def _find_cycle(deps: Mapping[str, list[str]], stuck: list[str]) -> list[str]:
    """Walk unmet dependencies among ``stuck`` items until a key repeats.

    Every stuck item has a stuck dependency, so the walk cannot end; the part
    from the first repeat on is a cycle, rotated to start at its smallest key.
    """
    stuck_set = set(stuck)
    path: list[str] = []
    position: dict[str, int] = {}
    key = stuck[0]
    while key not in position:
        position[key] = len(path)
        path.append(key)
        key = min(dep for dep in deps[key] if dep in stuck_set)
    loop = path[position[key] :]
    start = loop.index(min(loop))
    loop = loop[start:] + loop[:start]
    return [*loop, loop[0]]


class DependencyScheduler:
    """Decides which items to start next under dependencies and a concurrency cap.

    The workflow asks ``next_to_start()``, starts those children and calls
    ``started()``, then reports each completion with ``finished()``. Items start
    in priority order (higher ``priority`` first, then insertion order).

    Failure policies:
    - ``fail_fast``: the first failure cancels every pending item; running
      items finish (or are cancelled by the workflow) and are recorded.
    - ``skip_dependents``: every transitive dependent of a failed item is
      marked ``skipped`` with reason "dependency X failed"; the rest go on.
    - ``continue``: the rest go on; dependents of a failed item are never
      started and are reported ``blocked`` with the same reason.

    ``done()`` means nothing is running and nothing can ever start again
    because of failures or completions; ``deadlocked()`` means nothing is
    running, nothing can start, yet items wait on dependencies that will never
    complete on their own (a cycle, or a key that was never queued).

    Bookkeeping, kept per event: for each pending item the number of its
    dependencies not completed (``_unmet``; at 0 it enters the ready heap)
    and the number that are stopped or doomed (``_bad``; above 0 it is
    doomed, and so, transitively, are its pending dependents).
    """

    def __init__(
        self,
        items: Mapping[str, Iterable[str]],
        max_concurrency: int,
        on_failure: str = "fail_fast",
    ) -> None:
        if on_failure not in FAILURE_POLICIES:
            raise ValueError(f"on_failure must be one of {', '.join(FAILURE_POLICIES)}, not {on_failure!r}")
        self.on_failure = on_failure
        self.max_concurrency = _check_concurrency(max_concurrency)
        self._items: dict[str, dict[str, Any]] = {}
        self._next_seq = 0
        self._halted_by: str | None = None
        self._position: dict[str, int] = {}  # first insertion order, the order of every listing
        self._dependents: dict[str, dict[str, None]] = {}  # key -> items whose depends_on names it
        self._pending: dict[str, None] = {}
        self._running: dict[str, None] = {}
        self._unmet: dict[str, int] = {}
        self._bad: dict[str, int] = {}
        self._doomed: set[str] = set()
        self._ready: list[tuple[float, int, str]] = []  # (-priority, seq, key); stale entries are skipped
        self.add_items(items)

    # -- queueing -------------------------------------------------------

    def add_items(self, items: Mapping[str, Iterable[str]], priority: int = 0) -> list[str]:
        """Queue several items with one priority; returns the keys that were (re)queued."""
        return [key for key, depends_on in items.items() if self.add_item(key, depends_on, priority)]

    def add_item(self, key: str, depends_on: Iterable[str] = (), priority: int = 0) -> bool:
        """Queue one item, de-duplicated by key; returns whether anything changed.

        A pending key keeps the higher of the two priorities (and takes the new
        dependencies when the new priority wins). A failed, skipped or
        cancelled key is queued again (a retry). A running or completed key is
        left alone.
        """
        depends_on = list(dict.fromkeys(depends_on))
        item = self._items.get(key)
        if item is not None and item["status"] == "pending":
            if priority <= item["priority"]:
                return False
            self._unlink(key)
            item.update(priority=priority, depends_on=depends_on)
            self._link(key)
            self._recount(key)
            self._recompute_doom([key])
            return True
        if item is not None and item["status"] in ("running", "completed"):
            return False
        self._position.setdefault(key, len(self._position))
        if item is not None:
            self._unlink(key)
        self._items[key] = {
            "depends_on": depends_on,
            "priority": priority,
            "seq": self._next_seq,
            "status": "pending",
            "result": None,
            "error": None,
            "reason": None,
        }
        self._next_seq += 1
        self._link(key)
        self._pending[key] = None
        self._recount(key)
        if item is None:
            self._bad[key] = sum(1 for dep in depends_on if self._is_bad(dep))
            if self._bad[key]:
                self._doomed.add(key)
                self._spread_doom(key)
        else:  # it was stopped: its dependents counted it as bad
            self._recompute_doom([key])
        if self._halted_by is not None:
            self._cancel(key, f"not started: {self._halted_by} failed (fail_fast)")
        return True

    def set_max_concurrency(self, n: int) -> None:
        """Change the cap; running items above a lowered cap are not stopped."""
        self.max_concurrency = _check_concurrency(n)

    # -- progress -------------------------------------------------------

    def next_to_start(self) -> list[str]:
        """Items whose dependencies all completed, up to the free slots, by priority."""
        free = self.max_concurrency - len(self._running)
        if free <= 0 or self._halted_by is not None:
            return []
        taken: list[tuple[float, int, str]] = []
        while self._ready and len(taken) < free:
            entry = heapq.heappop(self._ready)
            if self._is_ready(entry):
                taken.append(entry)
        for entry in taken:
            heapq.heappush(self._ready, entry)
        return [key for _, _, key in taken]

    def started(self, key: str) -> None:
        """Record that the child for ``key`` was started."""
        item = self._get(key)
        if item["status"] != "pending" or self._unmet[key]:
            raise ValueError(f"{key!r} cannot start: it is {item['status']} with unmet {self._unmet_of(key)}")
        self._leave_pending(key, "running")
        self._running[key] = None

    def finished(self, key: str, ok: bool, result: Any = None, error: str | None = None) -> None:
        """Record the outcome of a running item and apply the failure policy."""
        item = self._get(key)
        if item["status"] != "running":
            raise ValueError(f"{key!r} is {item['status']}, not running")
        del self._running[key]
        item.update(status="completed" if ok else "failed", result=result, error=error)
        if ok:
            for dependent in self._dependents.get(key, ()):
                if dependent in self._pending:
                    self._unmet[dependent] -= 1
                    if not self._unmet[dependent]:
                        self._push_ready(dependent)
            return
        self._spread_doom(key)
        if self.on_failure == "fail_fast":
            self._halted_by = key
            self.cancel_pending(f"not started: {key} failed (fail_fast)")
        elif self.on_failure == "skip_dependents":
            for dependent in self._dependents_of(key):
                self._leave_pending(dependent, "skipped")
                self._items[dependent]["reason"] = f"dependency {key} failed"

    def cancelled(self, key: str, reason: str = "cancelled") -> None:
        """Record that the workflow cancelled a running item (e.g. an emergency stop)."""
        if self._get(key)["status"] != "running":
            raise ValueError(f"{key!r} is not running")
        del self._running[key]
        self._items[key].update(status="cancelled", reason=reason)
        self._spread_doom(key)

    def cancel_pending(self, reason: str) -> list[str]:
        """Cancel every pending item (drain, emergency stop); returns their keys."""
        keys = sorted(self._pending, key=self._position.__getitem__)
        for key in keys:
            self._cancel(key, reason)
        return keys

    # -- questions ------------------------------------------------------

    def status(self, key: str) -> str | None:
        """The recorded status of ``key`` (pending/running/completed/failed/skipped/cancelled), None if unknown."""
        item = self._items.get(key)
        return item["status"] if item is not None else None

    def running(self) -> list[str]:
        """Keys of started, unfinished items (to cancel them on an emergency stop)."""
        return sorted(self._running, key=self._position.__getitem__)

    def done(self) -> bool:
        """Nothing runs and every item is finished or blocked by a failure."""
        return not self._running and len(self._pending) == len(self._doomed)

    def deadlocked(self) -> bool:
        """Nothing runs or can start, yet items wait on dependencies that cannot complete."""
        return not self._running and not self.done() and not self._has_ready()

    def blocked(self) -> dict[str, list[str]]:
        """Pending items that cannot start now, each with its unmet dependencies."""
        pending = sorted(self._pending, key=self._position.__getitem__)
        return {key: self._unmet_of(key) for key in pending if self._unmet[key]}

    def report(self) -> dict[str, dict[str, Any]]:
        """Per item: status (pending/running/completed/failed/skipped/blocked/cancelled), result, error, reason.

        Walks every item: built when asked (the result variable, the progress query), not per event.
        """
        deadlocked = self.deadlocked()
        culprits = self._culprits()
        report = {}
        for key, item in self._items.items():
            status, reason = item["status"], item["reason"]
            if status == "pending":
                if key in culprits:
                    status, reason = "blocked", f"dependency {culprits[key]} failed"
                elif deadlocked:
                    status = "blocked"
                    reason = "waiting on " + ", ".join(self._unmet_of(key)) + " which can never complete"
            report[key] = {"status": status, "result": item["result"], "error": item["error"], "reason": reason}
        return report

    # -- persistence across continue-as-new -----------------------------

    def to_state(self) -> dict[str, Any]:
        """A JSON-able snapshot; ``from_state`` restores an equal scheduler.

        An item's fields that hold their defaults (``ITEM_DEFAULTS``) are left
        out: a spawner carries this across continue-as-new, where thousands of
        completed items without dependencies, error or reason are most of it.
        """
        items = {}
        for key, item in self._items.items():
            entry = {name: value for name, value in item.items() if ITEM_DEFAULTS.get(name, _NO_DEFAULT) != value}
            if "depends_on" in entry:
                entry["depends_on"] = list(entry["depends_on"])
            items[key] = entry
        return {
            "max_concurrency": self.max_concurrency,
            "on_failure": self.on_failure,
            "next_seq": self._next_seq,
            "halted_by": self._halted_by,
            "items": items,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> DependencyScheduler:
        """Rebuild the scheduler and its per-event bookkeeping from ``to_state()`` (linear in the items)."""
        scheduler = cls({}, state["max_concurrency"], state["on_failure"])
        scheduler._items = {key: {**ITEM_DEFAULTS, **item} for key, item in state["items"].items()}
        for item in scheduler._items.values():
            item["depends_on"] = list(item["depends_on"])
        scheduler._next_seq = state["next_seq"]
        scheduler._halted_by = state["halted_by"]
        for key, item in scheduler._items.items():
            scheduler._position[key] = len(scheduler._position)
            scheduler._link(key)
            if item["status"] == "pending":
                scheduler._pending[key] = None
                scheduler._recount(key)
            elif item["status"] == "running":
                scheduler._running[key] = None
        scheduler._recompute_doom(scheduler._pending)
        return scheduler

    # -- internals ------------------------------------------------------

    def _get(self, key: str) -> dict[str, Any]:
        if key not in self._items:
            raise KeyError(f"unknown item {key!r}")
        return self._items[key]

    def _unmet_of(self, key: str) -> list[str]:
        return [
            dep
            for dep in self._items[key]["depends_on"]
            if dep not in self._items or self._items[dep]["status"] != "completed"
        ]

    def _is_bad(self, key: str) -> bool:
        """Whether ``key`` can no longer complete on its own: stopped, or pending behind a stopped item."""
        item = self._items.get(key)
        return item is not None and (item["status"] in STOPPED or key in self._doomed)

    def _link(self, key: str) -> None:
        for dep in self._items[key]["depends_on"]:
            self._dependents.setdefault(dep, {})[key] = None

    def _unlink(self, key: str) -> None:
        for dep in self._items[key]["depends_on"]:
            self._dependents[dep].pop(key, None)

    def _recount(self, key: str) -> None:
        """Count a pending item's unmet dependencies; with none it joins the ready heap."""
        self._unmet[key] = len(self._unmet_of(key))
        if not self._unmet[key]:
            self._push_ready(key)

    def _push_ready(self, key: str) -> None:
        item = self._items[key]
        heapq.heappush(self._ready, (-item["priority"], item["seq"], key))

    def _is_ready(self, entry: tuple[float, int, str]) -> bool:
        """A heap entry is current while its item is pending with that priority and seq (and nothing unmet)."""
        priority, seq, key = entry
        item = self._items[key]
        return item["status"] == "pending" and item["seq"] == seq and -item["priority"] == priority

    def _has_ready(self) -> bool:
        while self._ready and not self._is_ready(self._ready[0]):
            heapq.heappop(self._ready)
        return bool(self._ready)

    def _leave_pending(self, key: str, status: str) -> None:
        """Move a pending item to ``status``; a stopped one that was not yet doomed dooms its dependents."""
        was_doomed = key in self._doomed
        del self._pending[key]
        del self._unmet[key]
        self._bad.pop(key, None)
        self._doomed.discard(key)
        self._items[key]["status"] = status
        if status in STOPPED and not was_doomed:
            self._spread_doom(key)

    def _cancel(self, key: str, reason: str) -> None:
        self._leave_pending(key, "cancelled")
        self._items[key]["reason"] = reason

    def _spread_doom(self, source: str) -> None:
        """``source`` just became stopped or doomed: count it against its pending dependents, transitively."""
        stack = [source]
        while stack:
            for dependent in self._dependents.get(stack.pop(), ()):
                if dependent in self._pending:
                    self._bad[dependent] = self._bad.get(dependent, 0) + 1
                    if self._bad[dependent] == 1:
                        self._doomed.add(dependent)
                        stack.append(dependent)

    def _recompute_doom(self, roots: Iterable[str]) -> None:
        """Recount doom over the pending items reachable from ``roots`` (a retry or new dependencies).

        Counts cannot be decremented safely when a stopped item is queued
        again: doomed items in a cycle would keep each other doomed. So the
        region that can change (pending items downstream of the roots) is
        counted again from the bad dependencies outside it, then doom spreads
        inside it.
        """
        region: dict[str, None] = {}
        stack = list(roots)
        while stack:
            key = stack.pop()
            if key in region or key not in self._pending:
                continue
            region[key] = None
            stack.extend(self._dependents.get(key, ()))
        self._doomed.difference_update(region)
        seeds = []
        for key in region:
            deps = self._items[key]["depends_on"]
            self._bad[key] = sum(1 for dep in deps if dep not in region and self._is_bad(dep))
            if self._bad[key]:
                seeds.append(key)
        self._doomed.update(seeds)
        while seeds:
            for dependent in self._dependents.get(seeds.pop(), ()):
                if dependent in region:
                    self._bad[dependent] += 1
                    if self._bad[dependent] == 1:
                        self._doomed.add(dependent)
                        seeds.append(dependent)

    def _culprits(self) -> dict[str, str]:
        """For each doomed item, the stopped item it waits on: the nearest one, by levels.

        A level-by-level walk from the stopped items; an item takes the
        culprit of the first of its dependencies (in its own order) reached
        in an earlier level, so the answer depends on the state alone.
        """
        if not self._doomed:
            return {}
        culprit = {key: key for key, item in self._items.items() if item["status"] in STOPPED}
        level = list(culprit)
        found: dict[str, str] = {}
        while level:
            reached = {d: None for key in level for d in self._dependents.get(key, ()) if d in self._doomed}
            following = [key for key in reached if key not in found]
            for key in following:
                dep = next(dep for dep in self._items[key]["depends_on"] if dep in culprit)
                found[key] = culprit[dep]
            culprit.update((key, found[key]) for key in following)
            level = following
        return found

    def _dependents_of(self, failed: str) -> list[str]:
        """Pending items that transitively depend on ``failed``, in insertion order."""
        dependents: set[str] = set()
        stack = [failed]
        while stack:
            for dependent in self._dependents.get(stack.pop(), ()):
                if dependent in self._pending and dependent not in dependents:
                    dependents.add(dependent)
                    stack.append(dependent)
        return sorted(dependents, key=self._position.__getitem__)


def _check_concurrency(n: int) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"max_concurrency must be a whole number of at least 1, not {n!r}")
    return n
