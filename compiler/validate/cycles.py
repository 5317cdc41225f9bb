"""Cycles among a graph's valid edges, one reported edge per strongly connected component.

Flow may only repeat inside a loop container, so any cycle of edges is an
error. For each cycle we name the edge that leads back to the cycle's
earliest node (in graph order): in a drawn graph that is the edge pointing
"up", the one a user most likely meant to remove. Everything is iterative
and linear, so deep or large graphs cannot exhaust the stack.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

from compiler.ir import IREdge


def cycles(out: Mapping[str, Sequence[IREdge]], order: Mapping[str, int]) -> list[tuple[IREdge, list[str]]]:
    """(edge leading back, cycle as keys with the first repeated at the end) for each cycle found."""
    found = []
    for component in _strongly_connected(out, order):
        members = set(component)
        first = min(component, key=order.__getitem__)
        back = min(
            (edge for key in component for edge in out.get(key, ()) if edge.target == first),
            key=lambda edge: order[edge.source],
        )
        found.append((back, [*_path(out, first, back.source, members), first]))
    return found


def _path(out: Mapping[str, Sequence[IREdge]], start: str, goal: str, members: set[str]) -> list[str]:
    """A shortest path from start to goal inside one component (breadth-first)."""
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue and goal not in came_from:
        key = queue.popleft()
        for edge in out.get(key, ()):
            if edge.target in members and edge.target not in came_from:
                came_from[edge.target] = key
                queue.append(edge.target)
    path: list[str] = []
    step: str | None = goal
    while step is not None:
        path.append(step)
        step = came_from[step]
    return path[::-1]


def _strongly_connected(out: Mapping[str, Sequence[IREdge]], order: Mapping[str, int]) -> list[list[str]]:
    """Tarjan's algorithm without recursion; only components with more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(out, key=order.__getitem__):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(out.get(root, ())))]
        while work:
            key, edges = work[-1]
            for edge in edges:
                target = edge.target
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(out.get(target, ()))))
                    break
                if target in on_stack:
                    low[key] = min(low[key], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[key])
                if low[key] == index[key]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == key:
                            break
                    if len(component) > 1:
                        components.append(component)
    return components
