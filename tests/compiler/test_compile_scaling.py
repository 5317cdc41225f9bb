"""Compile time grows near-linearly with graph size (issue #5).

The benchmark (benchmarks/compile_scaling.py) holds the real targets:
time(5,000) / time(1,000) <= 6 and 1,000 nodes under 200 ms. A shared CI
machine is too noisy for those, so this test asserts a looser ratio on
best-of-3 timings of the same graphs, in CPU time of this process (which
other processes inflate far less than wall-clock time): it fails when
something quadratic creeps back in (a per-node copy of every name, a
full-tree walk per node), not when the machine is busy. Absolute times are
not asserted for the same reason.
"""

from __future__ import annotations

import sys

import pytest

from benchmarks.compile_scaling import build_graph, time_compile

LOOSE_RATIO = 8.0


@pytest.fixture
def deep_recursion():
    """The 5,000-node module nests deeper than the default limit while it is printed, as in the benchmark."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    yield
    sys.setrecursionlimit(limit)


def test_compile_time_grows_near_linearly(deep_recursion):
    thousand = time_compile(build_graph(1_000), repeat=3).cpu
    five_thousand = time_compile(build_graph(5_000), repeat=3).cpu
    ratio = five_thousand / thousand
    assert ratio <= LOOSE_RATIO, (
        f"compiling 5,000 nodes took {ratio:.1f}x as long as 1,000 nodes "
        f"({five_thousand * 1000:.0f} ms vs {thousand * 1000:.0f} ms of CPU); expected at most {LOOSE_RATIO:g}x"
    )
