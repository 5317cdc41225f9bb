"""How compile time grows with graph size: `python benchmarks/compile_scaling.py` from the repo root.

Builds in-memory graphs of about 100, 1,000 and 5,000 nodes with a
realistic mix (phases holding activities, conditions whose branches
re-join, agents, timers, state and a signal handler) and times
`compile_graph` (validate -> lower -> emit -> compile check). Targets:
near-linear growth, time(5,000) / time(1,000) <= 6, and 1,000 nodes in
under 200 ms (wall-clock). Each figure is the best of several runs, all
measured in this one run, as wall-clock time and as this process's CPU
time; the load average is printed with them because other processes on
the machine inflate the wall-clock figures (the CPU ones less). The first
run's wall-clock time is printed too: the checks of expression texts are
cached per process (compiler/expressions/language.py), so later compiles of the
same texts, as in the editor, skip them.
tests/compiler/test_compile_scaling.py guards the ratio with a looser bound.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compiler.ir import Graph, IREdge, IRNode  # noqa: E402
from compiler.pipeline import compile_graph  # noqa: E402

SIZES = (100, 1_000, 5_000)
RATIO_TARGET = 6.0
THOUSAND_TARGET_MS = 200.0
PHASE_SIZE = 9  # nodes per phase, the phase included


def _activity(key: str, parent: str, reads: str) -> IRNode:
    config = {"activity": "step", "args": {"value": f"{reads}['n'] + 1"}, "result_var": key.replace("-", "_")}
    return IRNode(key, "activity", f"Step {key}", config, parent=parent)


def build_graph(size: int) -> Graph:
    """A top-level chain of phases; each phase: a, condition -> (b | c) -> d, agent, timer, e, f."""
    nodes = [
        IRNode("start", "start", "Start", {"input_fields": [{"name": "n", "type": "int", "default": 0}]}),
        IRNode("count", "state", "Count", {"name": "count", "type": "int"}),
        IRNode("bump", "signal_handler", "Bump", {"signal": "bump", "actions": [{"op": "increment", "var": "count"}]}),
    ]
    edges = []
    previous = "start"
    for index in range(max(1, (size - 4) // PHASE_SIZE)):
        phase = f"p{index}"
        keys = {name: f"{phase}-{name}" for name in ("a", "cond", "b", "c", "d", "agent", "wait", "e")}
        var = {name: key.replace("-", "_") for name, key in keys.items()}
        nodes += [
            IRNode(phase, "phase", f"Phase {index}", {"name": f"PHASE {index}"}),
            _activity(keys["a"], phase, "input"),
            IRNode(keys["cond"], "condition", "Big?", {"expression": f"{var['a']} > 10 and count < 5"}, parent=phase),
            _activity(keys["b"], phase, var["a"]),
            _activity(keys["c"], phase, var["a"]),
            _activity(keys["d"], phase, var["a"]),
            IRNode(
                keys["agent"], "agent", "Think", {"prompt": "Summarise $x", "context": {"x": var["d"]}}, parent=phase
            ),
            IRNode(keys["wait"], "timer", "Wait", {"duration": "1"}, parent=phase),
            _activity(keys["e"], phase, var["d"]),
        ]
        edges += [
            IREdge(keys["a"], keys["cond"]),
            IREdge(keys["cond"], keys["b"], "true"),
            IREdge(keys["cond"], keys["c"], "false"),
            IREdge(keys["b"], keys["d"]),
            IREdge(keys["c"], keys["d"]),
            IREdge(keys["d"], keys["agent"]),
            IREdge(keys["agent"], keys["wait"]),
            IREdge(keys["wait"], keys["e"]),
            IREdge(previous, phase),
        ]
        previous = phase
    nodes.append(IRNode("done", "end", "Done", {"result": "count"}))
    edges.append(IREdge(previous, "done"))
    return Graph(f"scaling-{size}", nodes=tuple(nodes), edges=tuple(edges))


@dataclass(frozen=True)
class Timing:
    """Best of several runs, in seconds: wall-clock, and this process's CPU time (what other processes inflate less)."""

    wall: float
    cpu: float
    first_wall: float  # the first run, with nothing of this graph cached yet


def time_compile(graph: Graph, repeat: int) -> Timing:
    """Best of `repeat` runs (the least disturbed by other processes), and the first.

    Each graph is timed in a block of its own: taking turns with a larger
    graph would let that graph's texts push this one's out of the
    expression-check cache.
    """
    times = []
    for _ in range(repeat):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        result = compile_graph(graph)
        times.append((time.perf_counter() - wall_start, time.process_time() - cpu_start))
        if result.source is None:
            raise SystemExit("benchmark graph does not compile: " + "; ".join(d.line() for d in result.diagnostics[:5]))
    return Timing(min(wall for wall, _ in times), min(cpu for _, cpu in times), times[0][0])


def main() -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    graphs = {size: build_graph(size) for size in SIZES}
    timings = {size: time_compile(graph, repeat=5) for size, graph in graphs.items()}
    for size, timing in timings.items():
        print(
            f"{len(graphs[size].nodes):>6} nodes: {timing.wall * 1000:8.1f} ms wall {timing.cpu * 1000:8.1f} ms CPU"
            f"   (first run {timing.first_wall * 1000:.1f} ms wall)"
        )
    for label, clock in (("wall", "wall"), ("CPU", "cpu")):
        thousand, five_thousand = getattr(timings[1_000], clock), getattr(timings[5_000], clock)
        ratio, thousand_ms = five_thousand / thousand, thousand * 1000
        linear = _verdict(ratio <= RATIO_TARGET)
        fast = _verdict(thousand_ms < THOUSAND_TARGET_MS)
        print(f"{label}: time(5,000) / time(1,000) = {ratio:.2f} (target <= {RATIO_TARGET:g}): {linear}")
        print(f"{label}: 1,000 nodes in {thousand_ms:.0f} ms (target < {THOUSAND_TARGET_MS:.0f} ms): {fast}")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs while measuring (the targets are wall-clock figures)")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
