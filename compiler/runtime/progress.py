"""Progress tracking for generated workflows: the built-in `progress` query.

Every generated workflow keeps one `Progress` and wraps each step in
`with self.progress.step("<node-key>"):` and each phase in
`with self.progress.phase("<node-key>", "<name>"):`, so a query can
report the current phase and each node's status while the run goes on.
It only changes plain dicts, so it is deterministic and sandbox-safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

STATUSES = ("pending", "running", "completed", "failed", "retrying", "skipped")


class Progress:
    """Per-node status (pending, running, completed, failed) and the current phase."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.nodes: dict[str, str] = {key: "pending" for key in keys}
        self.current_phase: str | None = None

    @contextmanager
    def step(self, key: str) -> Iterator[None]:
        """Mark the node running, then completed, or failed when the step raises (the error goes on)."""
        self.nodes[key] = "running"
        try:
            yield
        except BaseException:
            self.nodes[key] = "failed"
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

    def snapshot(self) -> dict:
        """What the `progress` query returns: {"phase": name or None, "nodes": {key: status}}."""
        return {"phase": self.current_phase, "nodes": dict(self.nodes)}
