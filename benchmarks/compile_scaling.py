"""How compile time grows with graph size: `python benchmarks/compile_scaling.py` from the repo root.

Builds in-memory graphs of about 100, 1,000 and 5,000 nodes with a
realistic mix (phases holding activities, conditions whose branches
re-join, agents, timers, state and a signal handler) and times
`compile_graph` (validate -> lower -> emit -> compile check). Targets:
near-linear growth, time(5,000) / time(1,000) <= 6, and 1,000 nodes in
under 200 ms. Each figure is the best of several runs of wall-clock time,
all measured in this one run; the load average is printed with them
because other processes on the machine inflate every figure.
tests/compiler/test_compile_scaling.py guards the ratio with a looser bound.
"""

from __future__ import annotations

import os
import sys
import time
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


def time_compile(graph: Graph, repeat: int) -> float:
    """Best of `repeat` runs, in seconds (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = compile_graph(graph)
        best = min(best, time.perf_counter() - started)
        if result.source is None:
            raise SystemExit("benchmark graph does not compile: " + "; ".join(d.line() for d in result.diagnostics[:5]))
    return best


def main() -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    timings = {}
    for size in SIZES:
        graph = build_graph(size)
        timings[size] = time_compile(graph, repeat=5 if size <= 1_000 else 3)
        print(f"{len(graph.nodes):>6} nodes: {timings[size] * 1000:8.1f} ms")
    ratio = timings[5_000] / timings[1_000]
    thousand_ms = timings[1_000] * 1000
    print(f"time(5,000) / time(1,000) = {ratio:.2f} (target <= {RATIO_TARGET:g}): {_verdict(ratio <= RATIO_TARGET)}")
    fast_enough = thousand_ms < THOUSAND_TARGET_MS
    print(f"1,000 nodes in {thousand_ms:.0f} ms (target < {THOUSAND_TARGET_MS:.0f} ms): {_verdict(fast_enough)}")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs while measuring")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
