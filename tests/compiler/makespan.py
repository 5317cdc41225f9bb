"""The makespan a spawner run should approach, for tests that time one (not runtime code: nothing generated uses it)."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Mapping

from compiler.runtime.scheduling import DependencyScheduler, dependency_layers


def greedy_makespan(
    items: Mapping[str, Iterable[str]],
    durations: Mapping[str, float],
    max_concurrency: int,
) -> float:
    """Total time of a greedy list schedule, simulated with ``DependencyScheduler``.

    Whenever a slot is free, the highest-priority ready item starts; all items
    finishing at the same instant are recorded before new ones start. This is
    the makespan a real spawner run should approach (plus overheads).
    """
    items = {key: list(depends_on) for key, depends_on in items.items()}
    dependency_layers(items)
    missing = [key for key in items if key not in durations]
    if missing:
        raise ValueError(f"no duration for {', '.join(missing)}")
    scheduler = DependencyScheduler(items, max_concurrency, on_failure="fail_fast")
    now = 0.0
    finishing: list[tuple[float, int, str]] = []
    order = itertools.count()
    while True:
        for key in scheduler.next_to_start():
            scheduler.started(key)
            heapq.heappush(finishing, (now + durations[key], next(order), key))
        if not finishing:
            return now
        now = finishing[0][0]
        while finishing and finishing[0][0] == now:
            scheduler.finished(heapq.heappop(finishing)[2], ok=True)
