"""Progress tracking for generated workflows: the built-in `progress` query.

Every generated workflow keeps one `Progress` and wraps each step in
`with self.progress.step("<node-key>"):` and each phase in
`with self.progress.phase("<node-key>", "<name>"):`, so a query can
report the current phase and each node's status while the run goes on.
Retry blocks mark themselves `retrying` with the attempt about to run;
the nodes of a condition's branch that is not taken are `skipped`, and so
is every node still pending when an `end` node finishes the run.
It only changes plain dicts, so it is deterministic and sandbox-safe.
A spawner's per-item statuses are read from it only when the query asks:
with thousands of items, rebuilding them on every start and finish would
cost more than the scheduling itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

STATUSES = ("pending", "running", "completed", "failed", "retrying", "skipped")


class Progress:
    """Per-node status, attempt counts of retry blocks and the current phase."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.nodes: dict[str, str] = {key: "pending" for key in keys}
        self.attempts: dict[str, int] = {}
        self.current_phase: str | None = None
        self._calls: dict[str, int] = {}
        # The latest failure and the innermost step it came out of (a retry block's `error` names it).
        self._failure: BaseException | None = None
        self._failed_step: str | None = None
        # Per spawner node key: what gives {item key: status} (compiler.runtime.spawn registers it).
        self.items: dict[str, Callable[[], dict[str, str]]] = {}

    @contextmanager
    def step(self, key: str) -> Iterator[None]:
        """Mark the node running, then completed, or failed when the step raises (the error goes on)."""
        self.nodes[key] = "running"
        try:
            yield
        except BaseException as failure:
            self.nodes[key] = "failed"
            if failure is not self._failure:  # the first step it leaves is the innermost one
                self._failure, self._failed_step = failure, key
            raise
        self.nodes[key] = "completed"

    @contextmanager
    def phase(self, key: str, name: str) -> Iterator[None]:
        """A step that also names the current phase while it runs."""
        outer, self.current_phase = self.current_phase, name
        try:
            with self.step(key):
                yield
        finally:
            self.current_phase = outer

    def failed_step(self, failure: BaseException) -> str | None:
        """The key of the innermost step `failure` came out of, if it came out of one."""
        return self._failed_step if failure is self._failure else None

    def retrying(self, key: str, attempt: int) -> None:
        """A retry block's attempt failed; `attempt` is the one that runs next."""
        self.nodes[key] = "retrying"
        self.attempts[key] = attempt

    def skip(self, *keys: str) -> None:
        """Nodes on a branch that this run did not take."""
        for key in keys:
            self.nodes[key] = "skipped"

    def finish(self) -> None:
        """The run ends here: nodes that never ran are skipped."""
        self.skip(*(key for key, status in self.nodes.items() if status == "pending"))

    def activity_id(self, key: str) -> str:
        """`<key>-<n>` for the n-th call of a step that can run more than once (loops, retries, spawners).

        Temporal needs distinct ids for the activities of one run; the
        counter also tells the calls of one node apart in the history.
        """
        self._calls[key] = self._calls.get(key, 0) + 1
        return f"{key}-{self._calls[key]}"

    def snapshot(self) -> dict:
        """What the `progress` query returns.

        {"phase", "nodes": {key: status}, "attempts": {key: n}, "items": {spawner key: {item key: status}}}
        """
        return {
            "phase": self.current_phase,
            "nodes": dict(self.nodes),
            "attempts": dict(self.attempts),
            "items": {key: statuses() for key, statuses in self.items.items()},
        }
