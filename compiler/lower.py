"""Lowering: a workflow graph becomes a structured tree (compiler/tree.py).

Each container slot (and the top level) is a small acyclic flow graph. We
compute immediate post-dominators on it (Cooper, Harvey and Kennedy's
iterative algorithm over a virtual exit node) and walk it from its entry:
a condition becomes an `If` whose branches are lowered up to the
condition's immediate post-dominator, where the flow re-joins; a step with
an `error` edge becomes a `Try` lowered the same way.

Branches that do not re-join cleanly (a node reached from inside a branch
and also from after another branch's re-join point) still compile to
correct code: the shared tail is lowered again inside each branch that
reaches it. Within one run each node executes at most once either way, so
activity ids stay unique. Copies are bounded; past the bound the lowering
gives up with a diagnostic naming an edge to change.

Cycles of edges are never lowered: flow only repeats through loop
containers, and the validator names one edge of each cycle.

Lowering runs only on graphs the validator accepted (compiler/pipeline.py),
so every rule of the graph is the validator's to report, once: here a
broken rule is an AssertionError, which means a caller skipped validation.
The one diagnostic of its own is the bound on tail copies, which only
lowering can measure.
"""

from __future__ import annotations

from collections.abc import Iterable

from compiler.diagnostics import Diagnostic, error
from compiler.ir import Graph, IREdge, IRNode
from compiler.tree import Block, Container, If, Sequence, Step, Try, WorkflowTree
from workflows.node_types import BRANCH, CONTAINER, DECLARATION_TYPES, ENTRY, NODE_TYPES, STEP

# The declaration whose nodes become the state dataclass's fields; the others become methods.
STATE = "state"
# How many times more steps than nodes the tree may hold before tail copies are refused.
COPY_FACTOR = 4


NOT_VALIDATED = "the graph was not validated (compiler/validate/graph.py reports this)"


class _GiveUp(Exception):
    """Lowering cannot continue; the diagnostics already say why."""


def lower(graph: Graph) -> tuple[WorkflowTree | None, list[Diagnostic]]:
    """The workflow's tree, or None and the diagnostics that prevented it."""
    starts = [node for node in graph.of_type("start") if node.parent is None]
    assert len(starts) == 1, f"{len(starts)} start nodes at the top level: {NOT_VALIDATED}"
    lowerer = _Lowerer(graph)
    try:
        body = lowerer.slot(None, "body", entry=starts[0])
    except _GiveUp:
        return None, lowerer.diagnostics
    tree = WorkflowTree(
        identifier=graph.identifier,
        name=graph.name,
        description=graph.description,
        start=starts[0],
        body=body,
        states=graph.of_type(STATE),
        handlers={name: graph.of_type(name) for name in DECLARATION_TYPES if name != STATE},
        variables=_result_variables(graph),
        tracked=[node.key for node in graph.nodes if node.key in lowerer.tracked],
    )
    return tree, lowerer.diagnostics


def _result_variables(graph: Graph) -> list[tuple[str, IRNode]]:
    """Result variables in graph order; a name declared as state is written into that state variable."""
    taken = {node.config.get("name") for node in graph.of_type(STATE)}
    variables = []
    for node in graph.nodes:
        node_type = NODE_TYPES.get(node.type)
        for name in node_type.result_names(node.config) if node_type else ():
            if name not in taken:
                taken.add(name)
                variables.append((name, node))
    return variables


class _Lowerer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.diagnostics: list[Diagnostic] = []
        self.tracked: set[str] = set()
        self.copies: dict[str, int] = {}
        self.budget = COPY_FACTOR * len(graph.nodes) + 64

    def fail(self, message: str, **where) -> _GiveUp:
        self.diagnostics.append(error(message, **where))
        return _GiveUp()

    def slot(self, parent: str | None, slot: str, entry: IRNode | None = None) -> Sequence:
        """Lower the flow inside one container slot (parent None: the top level)."""
        members = {node.key: node for node in self.graph.children(parent, slot) if node.type not in DECLARATION_TYPES}
        if not members:
            return Sequence()
        if entry is None:
            entry = self._entry(parent, slot, members)
        flow = _SlotFlow(self, members)
        flow.check_acyclic(entry.key)
        return flow.chain(entry.key, None)

    def _entry(self, parent: str | None, slot: str, members: dict[str, IRNode]) -> IRNode:
        entries = [
            node
            for node in members.values()
            if not any(edge.source in members for edge in self.graph.incoming(node.key))
        ]
        assert len(entries) == 1, f"slot '{slot}' of '{parent}' has {len(entries)} first nodes: {NOT_VALIDATED}"
        return entries[0]

    def count(self, key: str) -> None:
        """Record one lowered copy of a node; refuse to grow without bound."""
        self.copies[key] = self.copies.get(key, 0) + 1
        self.budget -= 1
        if self.budget < 0:
            worst = max(sorted(self.copies), key=lambda k: self.copies[k])
            incoming = sorted(self.graph.incoming(worst), key=lambda e: (e.source, e.kind))
            edge = incoming[-1].name if incoming else None
            raise self.fail(
                f"branches do not re-join: '{worst}' is reached from several branches and would be copied "
                f"{self.copies[worst]} times; route those branches through one node before it"
                + (f", e.g. change edge {edge}" if edge else ""),
                node=worst,
                edge=edge,
            )


class _SlotFlow:
    """The flow graph of one slot: successors, a cycle check and post-dominators."""

    def __init__(self, lowerer: _Lowerer, members: dict[str, IRNode]) -> None:
        self.lowerer = lowerer
        self.members = members
        self.next: dict[str, str | None] = {}
        self.branches: dict[str, dict[str, str]] = {}
        for key in members:
            self._read_edges(members[key], lowerer.graph.outgoing(key))
        self._joins: tuple[dict[str, str], dict[str, str]] | None = None

    def _read_edges(self, node: IRNode, edges: Iterable[IREdge]) -> None:
        by_kind: dict[str, list[IREdge]] = {}
        for edge in edges:
            assert edge.target in self.members, f"edge {edge.name} leaves its container: {NOT_VALIDATED}"
            by_kind.setdefault(edge.kind, []).append(edge)
        for kind, group in by_kind.items():
            assert len(group) == 1, f"'{node.key}' has {len(group)} '{kind}' edges: {NOT_VALIDATED}"
        if NODE_TYPES[node.type].role == BRANCH:
            assert sorted(by_kind) == ["false", "true"], f"condition '{node.key}' edges: {NOT_VALIDATED}"
        self.next[node.key] = by_kind["next"][0].target if "next" in by_kind else None
        self.branches[node.key] = {kind: group[0].target for kind, group in by_kind.items() if kind != "next"}

    def successors(self, key: str) -> list[str]:
        """Successors in a fixed order: next, then true/false/error."""
        found = [self.next[key]] if self.next[key] else []
        return found + [self.branches[key][kind] for kind in sorted(self.branches[key])]

    def check_acyclic(self, entry: str) -> None:
        """Iterative depth-first search from the entry; a back edge is a cycle."""
        state: dict[str, int] = {entry: 1}  # 1: on the stack, 2: done
        self.postorder: list[str] = []
        stack = [(entry, iter(self.successors(entry)))]
        while stack:
            key, pending = stack[-1]
            target = next(pending, None)
            if target is None:
                state[key] = 2
                self.postorder.append(key)
                stack.pop()
            elif state.get(target) == 1:
                raise AssertionError(f"edges form a cycle through '{target}': {NOT_VALIDATED}")
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(self.successors(target))))
        self.reachable = [key for key in self.members if key in state]

    def join(self, key: str) -> str | None:
        """Where the paths leaving a branching node meet again; None is the end of the slot.

        Paths into an `end` node return from the workflow, so they need not
        meet: the first choice is the immediate post-dominator over the
        paths that do not return (`if done: return ...` then re-joins at
        the other branch instead of swallowing the rest into an `else`).
        When every path returns, the plain immediate post-dominator, else
        the earliest node all branches reach, so shared tails are not
        copied. Each choice keeps the invariant `chain` relies on: every
        path from a branch either reaches the join or returns.
        """
        if self._joins is None:
            ends = {k for k in self.reachable if NODE_TYPES[self.members[k].type].ends_run}
            self._joins = (
                _post_dominators(self.reachable, self.successors, ends),
                _post_dominators(self.reachable, self.successors, set()),
            )
        avoiding_returns, plain = self._joins
        if key in avoiding_returns:
            return None if avoiding_returns[key] == EXIT else avoiding_returns[key]
        if plain[key] != EXIT:
            return plain[key]
        return self._earliest_common(self.successors(key))

    def _earliest_common(self, starts: list[str]) -> str | None:
        """The first node, in topological order, reachable from every start (None if none)."""
        order = {key: index for index, key in enumerate(reversed(self.postorder))}
        common: set[str] | None = None
        for start in starts:
            seen, stack = {start}, [start]
            while stack:
                for target in self.successors(stack.pop()):
                    if target not in seen:
                        seen.add(target)
                        stack.append(target)
            common = seen if common is None else common & seen
        return min(common, key=order.__getitem__) if common else None

    def chain(self, key: str | None, stop: str | None) -> Sequence:
        """Lower the flow from `key` until `stop` (None: the end of the slot).

        Straight runs are walked iteratively; only branches recurse, so a
        long sequence does not use Python's stack.
        """
        steps: list[Block] = []
        while key is not None and key != stop:
            node = self.members[key]
            self.lowerer.count(key)
            if NODE_TYPES[node.type].role == BRANCH:
                join = self.join(key) or stop
                then = self.chain(self.branches[key]["true"], join)
                orelse = self.chain(self.branches[key]["false"], join)
                if returns(then) and orelse.steps:  # `if c: ... return` then the rest, not an `else`
                    steps += [If(node, then, Sequence()), *orelse.steps]
                elif returns(orelse) and then.steps:
                    steps += [If(node, Sequence(), orelse), *then.steps]
                else:
                    steps.append(If(node, then, orelse))
                key = join
                continue
            block = self.block(node)
            if "error" in self.branches[key]:
                # Without a `next` edge, success ends the flow here: the error path is
                # not a detour that re-joins it, so nothing after the Try is shared.
                join = (self.join(key) or stop) if self.next[key] is not None else stop
                on_error = self.chain(self.branches[key]["error"], join)
                on_success = self.chain(self.next[key], join)
                if returns(on_error):
                    steps += [Try(block, on_error, Sequence()), *on_success.steps]
                else:
                    steps.append(Try(block, on_error, on_success))
                key = join
                continue
            if block is not None:
                steps.append(block)
            key = self.next[key]
        return Sequence(steps)

    def block(self, node: IRNode) -> Block | None:
        """The block a node becomes, by its type's role: none for the entry, a Step or a Container."""
        node_type = NODE_TYPES.get(node.type)
        role = node_type.role if node_type else None
        assert role in (ENTRY, STEP, CONTAINER), f"{node.type} node '{node.key}' in a flow: {NOT_VALIDATED}"
        if node_type.tracked:
            self.lowerer.tracked.add(node.key)
        if role == STEP:
            return Step(node)
        if role == CONTAINER:
            return Container(node, {slot: self.lowerer.slot(node.key, slot) for slot in node_type.slots})
        return None


def returns(sequence: Sequence) -> bool:
    """Whether running the sequence always ends the workflow (its last step returns on every path)."""
    if not sequence.steps:
        return False
    last = sequence.steps[-1]
    if isinstance(last, Step):
        return NODE_TYPES[last.node.type].ends_run
    if isinstance(last, If):
        return returns(last.then) and returns(last.orelse)
    if isinstance(last, Try):
        return returns(last.on_error) and returns(last.on_success)
    # A container returns when its type says a slot's return ends it (a phase's body);
    # a loop may end without running its body, a spawner's steps may run for no child.
    slot = NODE_TYPES[last.node.type].returns_with
    return slot is not None and returns(last.slots[slot])


EXIT = "\0exit"


def _post_dominators(nodes: list[str], successors, ends: set[str]) -> dict[str, str]:
    """Immediate post-dominators in an acyclic flow graph, EXIT for the virtual exit.

    Dominators of the reversed graph rooted at the exit, by Cooper, Harvey
    and Kennedy's algorithm; on an acyclic graph one pass in reverse
    postorder of the reversed graph is exact. Nodes in `ends` are not
    connected to the exit, so nodes all of whose paths lead into them are
    left out of the result.
    """
    predecessors: dict[str, list[str]] = {key: [] for key in nodes}
    out: dict[str, list[str]] = {}
    for key in nodes:
        out[key] = successors(key) or ([] if key in ends else [EXIT])
        for target in successors(key):
            predecessors[target].append(key)
    sinks = [key for key in nodes if out[key] == [EXIT]]
    # Postorder of the reversed graph (edges target -> source), from the exit.
    order: list[str] = []
    seen = {EXIT}
    stack = [(EXIT, iter(sinks))]
    while stack:
        key, pending = stack[-1]
        child = next(pending, None)
        if child is None:
            order.append(key)
            stack.pop()
        elif child not in seen:
            seen.add(child)
            stack.append((child, iter(predecessors[child])))
    number = {key: index for index, key in enumerate(order)}
    idom: dict[str, str] = {EXIT: EXIT}

    def intersect(a: str, b: str) -> str:
        while a != b:
            while number[a] < number[b]:
                a = idom[a]
            while number[b] < number[a]:
                b = idom[b]
        return a

    for key in reversed(order[:-1]):
        new = None
        for target in out[key]:
            if target in idom:
                new = target if new is None else intersect(target, new)
        idom[key] = new or EXIT
    del idom[EXIT]
    return idom
