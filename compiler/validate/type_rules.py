"""The rules each node type declares across the graph (`NodeType.graph_checks`), run as diagnostics.

The validator knows no type by name here: it shows every registered type
its own nodes through a `GraphView` (workflows/node_types/graph_rules.py)
and pins each problem the type reports to the node and field it names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from compiler.diagnostics import Diagnostic, error, warning
from compiler.ir import IRNode
from compiler.validate.structure import Structure
from workflows.node_types import NODE_TYPES
from workflows.node_types.graph_rules import WARNING, GraphProblem, GraphView


def check_type_rules(nodes: list[IRNode], configs: Mapping[str, dict], structure: Structure) -> Iterator[Diagnostic]:
    """Every registered type's graph checks, each over that type's nodes (none: the check still runs)."""
    by_type: dict[str, list[IRNode]] = defaultdict(list)
    for node in nodes:
        by_type[node.type].append(node)
    placed = frozenset(structure.placed)
    out_kinds = {key: frozenset(edge.kind for edge in edges) for key, edges in structure.out.items()}
    members = {
        key: {slot: tuple(keys) for slot, keys in slots.items()} for key, slots in structure.slot_members.items()
    }
    for type_name, node_type in NODE_TYPES.items():
        view = GraphView(tuple(by_type.get(type_name, ())), node_type.title, configs, placed, out_kinds, members)
        for check in node_type.graph_checks:
            for problem in check(view):
                yield _diagnostic(problem)


def _diagnostic(problem: GraphProblem) -> Diagnostic:
    report = warning if problem.severity == WARNING else error
    return report(problem.message, node=problem.node, field=problem.field, hint=problem.hint)
