"""Structural checks: where nodes sit, which edges count, and how flow moves through each slot.

The rules are listed in compiler/validate/graph.py's docstring. Everything here is
one pass over nodes and edges plus graph searches over the valid edges, so it
stays linear in the size of the graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable

from compiler.diagnostics import Diagnostic, error, warning
from compiler.ir import IREdge, IRNode
from compiler.validate.cycles import cycles
from workflows.node_types import BRANCH, DECLARATION_TYPES, EDGE_KINDS, ENTRY, NODE_TYPES
from workflows.node_types.placement import (
    EdgeEnd,
    PlacementProblem,
    edge_problem,
    inside_itself,
    kind_problem,
    missing_parent,
    slot_problem,
    title,
)


class Structure:
    """The graph's placement and valid edges, built once; `check()` returns the structural diagnostics."""

    def __init__(self, nodes: list[IRNode], edges: Iterable[IREdge]) -> None:
        self.nodes = nodes
        self.by_key = {node.key: node for node in nodes}
        self.order = {node.key: index for index, node in enumerate(nodes)}
        self.diagnostics: list[Diagnostic] = []
        self.placed = self._place()
        self.out: dict[str, list[IREdge]] = defaultdict(list)
        self.indegree: Counter[str] = Counter()
        # The placed steps in each slot of each placed container, in graph order (filled by check()).
        self.slot_members: dict[str, dict[str, list[str]]] = defaultdict(dict)
        self._add_edges(edges)

    def _error(self, message: str, **where) -> None:
        """A rule the graph breaks, pinned to the node, field or edge in `where`."""
        self.diagnostics.append(error(message, **where))

    def check(self) -> list[Diagnostic]:
        """The rules of every graph; what one type demands of its nodes is its own (compiler/validate/type_rules.py)."""
        self._declarations()
        self._branches()
        self._slots()
        self._cycles()
        return self.diagnostics

    # -- placement ------------------------------------------------------------

    def _place(self) -> set[str]:
        """Keys of nodes whose whole container chain is valid; each broken link is reported once."""
        own_ok = {}
        for node in self.nodes:
            problem = self._parent_problem(node)
            own_ok[node.key] = problem is None
            if problem is not None:
                self.diagnostics.append(problem)
        placed: dict[str, bool] = {}
        for node in self.nodes:
            path: list[str] = []
            on_path: set[str] = set()
            key = node.key
            while key not in placed:
                if key in on_path:
                    loop = path[path.index(key) :]
                    self._parent_loop(loop)
                    placed.update((member, False) for member in loop)
                elif not own_ok[key] or self.by_key[key].parent is None:
                    placed[key] = own_ok[key]
                else:
                    path.append(key)
                    on_path.add(key)
                    key = self.by_key[key].parent
            for member in path:
                placed.setdefault(member, placed[key])
        return {key for key, ok in placed.items() if ok}

    def _parent_problem(self, node: IRNode) -> Diagnostic | None:
        parent = self.by_key.get(node.parent) if node.parent is not None else None
        if node.parent is not None and parent is None:
            return _placement(node.key, missing_parent(node.key, node.parent))
        problem = slot_problem(node.parent, parent.type if parent else None, node.slot)
        return None if problem is None else _placement(node.key, problem)

    def _parent_loop(self, loop: list[str]) -> None:
        for index, key in enumerate(loop):
            self.diagnostics.append(_placement(key, inside_itself([*loop[index:], *loop[:index]])))

    # -- edges ----------------------------------------------------------------

    def _add_edges(self, edges: Iterable[IREdge]) -> None:
        seen: set[IREdge] = set()
        for edge in edges:
            if edge in seen:
                self._error(f"Edge {edge.name} is listed twice", edge=edge.name, hint="delete the copy")
                continue
            seen.add(edge)
            problem = self._edge_problem(edge)
            if problem is not None:
                self.diagnostics.append(problem)
                continue
            problem = self._kind_problem(edge)
            if problem is not None:
                self.diagnostics.append(problem)
            if edge.source in self.placed and edge.target in self.placed:
                self.out[edge.source].append(edge)
                self.indegree[edge.target] += 1

    def _edge_problem(self, edge: IREdge) -> Diagnostic | None:
        name = edge.name
        source, target = self.by_key.get(edge.source), self.by_key.get(edge.target)
        if source is None or target is None:
            missing = edge.source if source is None else edge.target
            return error(
                f"Edge {name} uses '{missing}', which is not a node of this workflow", edge=name, hint="delete the edge"
            )
        if edge.kind not in EDGE_KINDS:
            return error(
                f"Edge {name} has the unknown kind '{edge.kind}'",
                edge=name,
                hint=f"use one of: {', '.join(EDGE_KINDS)}",
            )
        problem = edge_problem(name, _end(source), _end(target))
        return None if problem is None else error(problem.message, node=problem.node, edge=name, hint=problem.hint)

    def _kind_problem(self, edge: IREdge) -> Diagnostic | None:
        """A kind the source type does not allow; the edge still counts for reachability (it is reported)."""
        problem = kind_problem(edge.name, _end(self.by_key[edge.source]), edge.kind)
        return None if problem is None else error(problem.message, node=problem.node, edge=edge.name, hint=problem.hint)

    # -- flow -----------------------------------------------------------------

    def _declarations(self) -> None:
        for node in self.nodes:
            if node.type in DECLARATION_TYPES and node.parent is not None:
                self._error(
                    f"{title(node.type)} nodes declare something for the whole workflow and must be at the top level",
                    node=node.key,
                    field="parent",
                    hint=f"move it out of '{node.parent}'",
                )

    def _branches(self) -> None:
        for key in sorted(self.out, key=self.order.__getitem__):
            by_kind: dict[str, list[IREdge]] = defaultdict(list)
            for edge in self.out[key]:
                by_kind[edge.kind].append(edge)
            for kind, group in sorted(by_kind.items()):
                if len(group) > 1:
                    self._too_many(key, kind, sorted(group, key=lambda e: self.order[e.target]))

    def _too_many(self, key: str, kind: str, group: list[IREdge]) -> None:
        targets = ", ".join(edge.target for edge in group)
        if kind == "next":
            message = (
                f"'{key}' has {len(group)} next edges (to {targets}): steps run one after another, "
                "there is no implicit parallelism"
            )
            advice = "; to run work concurrently use a spawner"
        else:
            message = f"'{key}' has {len(group)} {kind} edges (to {targets}): only one of them can be followed"
            advice = ""
        for extra in group[1:]:
            self._error(message, node=key, edge=extra.name, hint=f"delete the edge {extra.name}{advice}")

    def _slots(self) -> None:
        slots: dict[tuple[str | None, str], list[IRNode]] = defaultdict(list)
        for node in self.nodes:
            if node.key in self.placed and node.type not in DECLARATION_TYPES:
                slots[(node.parent, node.slot)].append(node)
        for (parent, slot), members in slots.items():
            if parent is not None:
                self.slot_members[parent][slot] = [node.key for node in members]
        for (parent, slot), members in slots.items():
            self._slot(parent, slot, members)

    def _slot(self, parent: str | None, slot: str, members: list[IRNode]) -> None:
        if parent is None:
            entries = [node for node in members if _role(node) == ENTRY]
            origin = "the start"
        else:
            entries = [node for node in members if not self.indegree[node.key]]
            origin = f"the first step of '{parent}'"
            slot_text = f"The {slot} of '{parent}'"
            if not entries:
                self._error(
                    f"{slot_text} has no first step: every step in it has an incoming edge",
                    node=parent,
                    hint="delete the edge that leads back to its first step",
                )
            elif len(entries) > 1:
                keys = ", ".join(node.key for node in entries)
                self._error(
                    f"{slot_text} has {len(entries)} first steps ({keys}): a container runs one chain of steps",
                    node=parent,
                    hint="connect them so that exactly one step has no incoming edge",
                )
        if not entries:
            return
        reached = self._reach(node.key for node in entries)
        for node in members:
            if node.key not in reached:
                self._error(
                    f"'{node.key}' can never run: no path leads to it from {origin}",
                    node=node.key,
                    hint="connect it from an earlier step, or delete it",
                )
        if parent is None:
            self._dead_ends([node for node in members if node.key in reached])

    def _reach(self, entries: Iterable[str]) -> set[str]:
        reached = set(entries)
        queue = deque(reached)
        while queue:
            for edge in self.out[queue.popleft()]:
                if edge.target not in reached:
                    reached.add(edge.target)
                    queue.append(edge.target)
        return reached

    def _dead_ends(self, members: list[IRNode]) -> None:
        """Top level only: a step without a way forward is a dead end when the flow can also finish elsewhere.

        Nodes that end the run (end, fail) are where a flow is meant to finish.
        """
        ends = {node.key for node in members if node.type in NODE_TYPES and NODE_TYPES[node.type].ends_run}
        terminals = [
            node
            for node in members
            if node.key in ends
            or (_role(node) != BRANCH and not any(edge.kind == "next" for edge in self.out[node.key]))
        ]
        if len(terminals) < 2:
            return
        for node in terminals:
            if node.key not in ends:
                self.diagnostics.append(
                    warning(
                        f"Dead end: the workflow stops after '{node.key}' without reaching an end node (result None)",
                        node=node.key,
                        hint=f"connect '{node.key}' to the next step or to an end node",
                    )
                )

    # -- cycles ---------------------------------------------------------------

    def _cycles(self) -> None:
        for back, cycle in cycles(self.out, self.order):
            self._error(
                f"Steps form a cycle outside a loop: {' -> '.join(cycle)}",
                edge=back.name,
                hint=f"delete the edge {back.name}, or put the repeated steps inside a loop container",
            )


def _placement(key: str, problem: PlacementProblem) -> Diagnostic:
    """A placement rule of the registry (workflows/node_types/placement.py) as a diagnostic on the node."""
    return error(problem.message, node=key, field=problem.field, hint=problem.hint)


def _end(node: IRNode) -> EdgeEnd:
    return EdgeEnd(node.key, node.type, node.parent, node.slot)


def _role(node: IRNode) -> str | None:
    """Where the node's type stands in a flow (the top level starts at its entry, a branch goes on by its
    branches); None for an unknown type."""
    node_type = NODE_TYPES.get(node.type)
    return node_type.role if node_type else None
