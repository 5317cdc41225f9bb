"""A node type's graph rules (`NodeType.graph_checks`) are run by the validator without it naming the type."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.diagnostics import Severity
from compiler.validate.graph import validate
from tests.compiler.validate_helpers import chain, flow, graph, n
from workflows.node_types import Field, NodeType, register, unregister
from workflows.node_types.graph_rules import WARNING, GraphProblem, GraphView, declared_once


def at_most_two(view: GraphView) -> Iterator[GraphProblem]:
    """A throwaway rule that needs every node of the type and the graph's edges at once."""
    for node in view.nodes[2:]:
        yield GraphProblem("A third bell is too loud", "delete it", node=node.key, field="tone", severity=WARNING)
    for node in view.nodes:
        if node.key in view.placed and "next" not in view.out_kinds.get(node.key, ()):
            yield GraphProblem(f"Bell '{node.key}' rings last", "connect it to a step", node=node.key)


BELL = NodeType(
    "bell",
    "Bell",
    "Rings.",
    "steps",
    "bell",
    fields=(Field("tone", "identifier", default="ding"),),
    graph_checks=(at_most_two, declared_once("tone", "Tone")),
)


def test_a_registered_types_graph_rules_become_diagnostics_on_its_nodes():
    register(BELL)
    try:
        diagnostics = validate(
            flow(n("a", "bell", tone="ding"), n("b", "bell", tone="dong"), n("c", "bell", tone="ding"), n("end", "end"))
        )
    finally:
        unregister("bell")

    found = {(d.node, d.field, d.severity, d.message) for d in diagnostics}
    assert ("c", "tone", Severity.WARNING, "A third bell is too loud") in found
    assert ("c", "tone", Severity.ERROR, "Tone 'ding' is declared twice (also by 'a')") in found
    assert not any(d.node in ("a", "b", "c") and "rings last" in d.message for d in diagnostics)


def test_a_rule_runs_on_the_types_placed_nodes_and_their_valid_edges():
    register(BELL)
    try:
        bells = graph(n("start", "start"), n("a", "bell"), n("b", "bell"), edges=chain("start", "a", "b"))
        diagnostics = validate(bells)
    finally:
        unregister("bell")

    last = [d for d in diagnostics if "rings last" in d.message]
    assert [(d.node, d.severity, d.hint) for d in last] == [("b", Severity.ERROR, "connect it to a step")]


def test_a_types_rule_runs_even_when_the_graph_has_none_of_its_nodes():
    diagnostics = validate(graph(n("step", "end")))

    assert [d.message for d in diagnostics if d.node is None] == ["The workflow has no start node"]
