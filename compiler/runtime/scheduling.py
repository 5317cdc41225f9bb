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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from vocabulary import FAILURE_POLICIES

TERMINAL = ("completed", "failed", "skipped", "cancelled")


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
    """Group items into build layers (Kahn's algorithm), each layer sorted.

    Every item's dependencies are in earlier layers, so a layer can run in
    parallel. Raises ``UnknownDependencyError`` or ``DependencyCycleError``.
    """
    deps = {key: list(dict.fromkeys(depends_on)) for key, depends_on in items.items()}
    for key, depends_on in deps.items():
        for dep in depends_on:
            if dep not in deps:
                raise UnknownDependencyError(key, dep)
    placed: set[str] = set()
    layers: list[list[str]] = []
    remaining = sorted(deps)
    while remaining:
        layer = [key for key in remaining if all(dep in placed for dep in deps[key])]
        if not layer:
            raise DependencyCycleError(_find_cycle(deps, remaining))
        layers.append(layer)
        placed.update(layer)
        remaining = [key for key in remaining if key not in placed]
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
            item.update(priority=priority, depends_on=depends_on)
            return True
        if item is not None and item["status"] in ("running", "completed"):
            return False
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
        if self._halted_by is not None:
            self._cancel(key, f"not started: {self._halted_by} failed (fail_fast)")
        return True

    def set_max_concurrency(self, n: int) -> None:
        """Change the cap; running items above a lowered cap are not stopped."""
        self.max_concurrency = _check_concurrency(n)

    # -- progress -------------------------------------------------------

    def next_to_start(self) -> list[str]:
        """Items whose dependencies all completed, up to the free slots, by priority."""
        free = self.max_concurrency - len(self._keys("running"))
        if free <= 0 or self._halted_by is not None:
            return []
        ready = [key for key in self._keys("pending") if self._unmet(key) == []]
        ready.sort(key=lambda key: (-self._items[key]["priority"], self._items[key]["seq"]))
        return ready[:free]

    def started(self, key: str) -> None:
        """Record that the child for ``key`` was started."""
        item = self._get(key)
        if item["status"] != "pending" or self._unmet(key):
            raise ValueError(f"{key!r} cannot start: it is {item['status']} with unmet {self._unmet(key)}")
        item["status"] = "running"

    def finished(self, key: str, ok: bool, result: Any = None, error: str | None = None) -> None:
        """Record the outcome of a running item and apply the failure policy."""
        item = self._get(key)
        if item["status"] != "running":
            raise ValueError(f"{key!r} is {item['status']}, not running")
        item.update(status="completed" if ok else "failed", result=result, error=error)
        if ok:
            return
        if self.on_failure == "fail_fast":
            self._halted_by = key
            self.cancel_pending(f"not started: {key} failed (fail_fast)")
        elif self.on_failure == "skip_dependents":
            for dependent in self._dependents_of(key):
                self._items[dependent].update(status="skipped", reason=f"dependency {key} failed")

    def cancelled(self, key: str, reason: str = "cancelled") -> None:
        """Record that the workflow cancelled a running item (e.g. an emergency stop)."""
        if self._get(key)["status"] != "running":
            raise ValueError(f"{key!r} is not running")
        self._cancel(key, reason)

    def cancel_pending(self, reason: str) -> list[str]:
        """Cancel every pending item (drain, emergency stop); returns their keys."""
        keys = self._keys("pending")
        for key in keys:
            self._cancel(key, reason)
        return keys

    # -- questions ------------------------------------------------------

    def running(self) -> list[str]:
        """Keys of started, unfinished items (to cancel them on an emergency stop)."""
        return self._keys("running")

    def done(self) -> bool:
        """Nothing runs and every item is finished or blocked by a failure."""
        return not self._keys("running") and all(self._failed_dependency(key) for key in self._keys("pending"))

    def deadlocked(self) -> bool:
        """Nothing runs or can start, yet items wait on dependencies that cannot complete."""
        return not self._keys("running") and not self.next_to_start() and not self.done()

    def blocked(self) -> dict[str, list[str]]:
        """Pending items that cannot start now, each with its unmet dependencies."""
        return {key: unmet for key in self._keys("pending") if (unmet := self._unmet(key))}

    def report(self) -> dict[str, dict[str, Any]]:
        """Per item: status (pending/running/completed/failed/skipped/blocked/cancelled), result, error, reason."""
        deadlocked = self.deadlocked()
        report = {}
        for key, item in self._items.items():
            status, reason = item["status"], item["reason"]
            if status == "pending":
                failed = self._failed_dependency(key)
                if failed is not None:
                    status, reason = "blocked", f"dependency {failed} failed"
                elif deadlocked:
                    status = "blocked"
                    reason = "waiting on " + ", ".join(self._unmet(key)) + " which can never complete"
            report[key] = {"status": status, "result": item["result"], "error": item["error"], "reason": reason}
        return report

    # -- persistence across continue-as-new -----------------------------

    def to_state(self) -> dict[str, Any]:
        """A JSON-able snapshot; ``from_state`` restores an equal scheduler."""
        return {
            "max_concurrency": self.max_concurrency,
            "on_failure": self.on_failure,
            "next_seq": self._next_seq,
            "halted_by": self._halted_by,
            "items": {key: {**item, "depends_on": list(item["depends_on"])} for key, item in self._items.items()},
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> DependencyScheduler:
        scheduler = cls({}, state["max_concurrency"], state["on_failure"])
        scheduler._items = {
            key: {**item, "depends_on": list(item["depends_on"])} for key, item in state["items"].items()
        }
        scheduler._next_seq = state["next_seq"]
        scheduler._halted_by = state["halted_by"]
        return scheduler

    # -- internals ------------------------------------------------------

    def _get(self, key: str) -> dict[str, Any]:
        if key not in self._items:
            raise KeyError(f"unknown item {key!r}")
        return self._items[key]

    def _keys(self, status: str) -> list[str]:
        return [key for key, item in self._items.items() if item["status"] == status]

    def _unmet(self, key: str) -> list[str]:
        return [
            dep
            for dep in self._items[key]["depends_on"]
            if dep not in self._items or self._items[dep]["status"] != "completed"
        ]

    def _cancel(self, key: str, reason: str) -> None:
        self._items[key].update(status="cancelled", reason=reason)

    def _failed_dependency(self, key: str) -> str | None:
        """The first failed/skipped/cancelled item ``key`` transitively waits on, if any."""
        seen = {key}
        stack = [key]
        while stack:
            for dep in self._items[stack.pop()]["depends_on"]:
                if dep in seen or dep not in self._items:
                    continue
                if self._items[dep]["status"] in ("failed", "skipped", "cancelled"):
                    return dep
                seen.add(dep)
                stack.append(dep)
        return None

    def _dependents_of(self, failed: str) -> list[str]:
        """Pending items that transitively depend on ``failed``, in insertion order."""
        dependents: set[str] = set()
        frontier = {failed}
        while frontier:
            frontier = {
                key
                for key in self._keys("pending")
                if key not in dependents and frontier.intersection(self._items[key]["depends_on"])
            }
            dependents |= frontier
        return [key for key in self._items if key in dependents]


def _check_concurrency(n: int) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"max_concurrency must be a whole number of at least 1, not {n!r}")
    return n

