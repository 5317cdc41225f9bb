"""Cycles among a graph's valid edges, found by the standard library's topological sorter.

Flow may only repeat inside a loop container, so any cycle of edges is an
error. `graphlib.TopologicalSorter` says whether there is one and names one;
the steps no cycle blocks are then set aside, and the blocked rest splits
into connected regions (edges never leave a container slot, so a region
lies in one slot), each reported with one cycle: fixing it may reveal the
next. A cycle is shown from its earliest node (in graph order) and the edge
named is the one leading back to it: in a drawn graph that is the edge
pointing "up", the one a user most likely meant to remove. Everything is
iterative and linear, so deep or large graphs cannot exhaust the stack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from graphlib import CycleError, TopologicalSorter

from compiler.ir import IREdge


def cycles(out: Mapping[str, Sequence[IREdge]], order: Mapping[str, int]) -> list[tuple[IREdge, list[str]]]:
    """(edge leading back, cycle as keys with the first repeated at the end) for each blocked region."""
    sorter = _sorter(sorted(order, key=order.__getitem__), out)
    try:
        sorter.prepare()
        return []
    except CycleError:
        pass
    unblocked: set[str] = set()
    while ready := sorter.get_ready():
        unblocked.update(ready)
        sorter.done(*ready)
    blocked = [key for key in sorted(order, key=order.__getitem__) if key not in unblocked]
    return [_back_edge(out, order, _one_cycle(region, out)) for region in _regions(blocked, out)]


def _sorter(keys: Iterable[str], out: Mapping[str, Sequence[IREdge]]) -> TopologicalSorter:
    """A sorter over `keys` in which every edge between two of them orders its source first."""
    keys = list(keys)
    members = set(keys)
    sorter: TopologicalSorter = TopologicalSorter()
    for key in keys:
        sorter.add(key)
        for edge in out.get(key, ()):
            if edge.target in members:
                sorter.add(edge.target, key)
    return sorter


def _one_cycle(region: list[str], out: Mapping[str, Sequence[IREdge]]) -> list[str]:
    """A cycle inside a blocked region, as the sorter names it (each key an edge's source for the next)."""
    try:
        _sorter(region, out).prepare()
    except CycleError as found:
        return list(found.args[1])
    raise AssertionError(f"a blocked region without a cycle: {region}")


def _back_edge(
    out: Mapping[str, Sequence[IREdge]], order: Mapping[str, int], cycle: list[str]
) -> tuple[IREdge, list[str]]:
    """The cycle rotated to start at its earliest node, with the edge that leads back to it."""
    loop = cycle[:-1]
    start = loop.index(min(loop, key=order.__getitem__))
    loop = loop[start:] + loop[:start]
    back = next(edge for edge in out[loop[-1]] if edge.target == loop[0])
    return back, [*loop, loop[0]]


def _regions(blocked: list[str], out: Mapping[str, Sequence[IREdge]]) -> list[list[str]]:
    """The blocked keys split into regions joined by edges (either way), each in graph order."""
    neighbours: dict[str, list[str]] = {key: [] for key in blocked}
    for key in blocked:
        for edge in out.get(key, ()):
            if edge.target in neighbours:
                neighbours[key].append(edge.target)
                neighbours[edge.target].append(key)
    region_of: dict[str, int] = {}
    regions: list[list[str]] = []
    for root in blocked:
        if root in region_of:
            continue
        region_of[root] = len(regions)
        stack = [root]
        while stack:
            for neighbour in neighbours[stack.pop()]:
                if neighbour not in region_of:
                    region_of[neighbour] = len(regions)
                    stack.append(neighbour)
        regions.append([])
    for key in blocked:
        regions[region_of[key]].append(key)
    return regions
