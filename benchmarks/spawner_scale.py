"""How the spawner's scheduling grows with the item count: `python benchmarks/spawner_scale.py` from the repo root.

Runtime only, no Temporal server: a `Spawn` (compiler/runtime/spawn.py) is
driven the way generated code drives it inside a workflow task (add every
item, check the dependencies, start what `ready()` returns, record each
finished child, build the report at the end), with plain asyncio futures
standing in for child handles. Children finish one at a time, oldest first,
which is the most decisions per item a real run can ask for.

Shapes: independent items (1,000 and 10,000), a 1,000-deep chain and a
10,000-item random DAG (each item depends on up to three earlier ones).
Targets: each under 1 s, and time(10,000) / time(1,000) for independent
items at most 12 (near-linear). Each figure is the best of a few runs, in
this process's CPU time (printed with the wall-clock time and the load
average: other processes on the machine inflate the wall-clock figures).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compiler.runtime.progress import Progress  # noqa: E402
from compiler.runtime.spawn import Spawn  # noqa: E402

MAX_CONCURRENCY = 50
TARGET_S = 1.0
RATIO_TARGET = 12.0
REPEATS = 5


def independent(count: int) -> dict[str, list[str]]:
    return {f"item-{index}": [] for index in range(count)}


def chain(count: int) -> dict[str, list[str]]:
    return {f"item-{index}": [f"item-{index - 1}"] if index else [] for index in range(count)}


def random_dag(count: int, seed: int = 16) -> dict[str, list[str]]:
    rng = random.Random(seed)
    return {
        f"item-{index}": [f"item-{dep}" for dep in rng.sample(range(index), min(index, rng.randint(0, 3)))]
        for index in range(count)
    }


def schedule(items: dict[str, list[str]], loop: asyncio.AbstractEventLoop) -> int:
    """Set up a spawner over `items` and run it to completion; returns how many children ran."""
    spawn = Spawn("builds", "skip_dependents", Progress(["builds"]), max_concurrency=lambda: MAX_CONCURRENCY)
    for key, depends_on in items.items():
        spawn.add(key, {"name": key}, depends_on)
    spawn.check_dependencies()
    running: deque[asyncio.Future] = deque()
    while True:
        for key, _ in spawn.ready():
            child = loop.create_future()
            spawn.start(key, child)
            running.append(child)
        if not running:
            break
        running.popleft().set_result("built")
        spawn.finished()
    report = spawn.report()
    assert all(entry["status"] == "completed" for entry in report.values()), "every item must complete"
    return len(spawn.order)


def best_time(items: dict[str, list[str]], repeats: int = REPEATS) -> tuple[float, float]:
    """(CPU seconds, wall-clock seconds), each the best of `repeats` runs."""
    loop = asyncio.new_event_loop()
    try:
        cpu, wall = [], []
        for _ in range(repeats):
            began, began_cpu = time.perf_counter(), time.process_time()
            assert schedule(items, loop) == len(items)
            cpu.append(time.process_time() - began_cpu)
            wall.append(time.perf_counter() - began)
        return min(cpu), min(wall)
    finally:
        loop.close()


def main() -> int:
    print(f"spawner scheduling, runtime only, max_concurrency {MAX_CONCURRENCY}, load average {os.getloadavg()[0]:.2f}")
    shapes = {
        "1,000 independent items": independent(1_000),
        "10,000 independent items": independent(10_000),
        "1,000-deep chain": chain(1_000),
        "10,000-item random DAG": random_dag(10_000),
    }
    timings = {}
    for label, items in shapes.items():
        timings[label], wall = best_time(items)
        verdict = "ok" if timings[label] < TARGET_S else "TOO SLOW"
        print(
            f"  {label:<26} {timings[label] * 1000:7.1f} ms CPU, {wall * 1000:7.1f} ms wall"
            f"   (target < {TARGET_S * 1000:.0f} ms: {verdict})"
        )
    ratio = timings["10,000 independent items"] / timings["1,000 independent items"]
    verdict = "ok" if ratio <= RATIO_TARGET else "TOO HIGH"
    print(f"  time(10,000) / time(1,000) = {ratio:.1f}   (target <= {RATIO_TARGET:.0f}: {verdict})")
    met = ratio <= RATIO_TARGET and all(timing < TARGET_S for timing in timings.values())
    print("all targets met" if met else "some targets missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
