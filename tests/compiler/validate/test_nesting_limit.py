"""Graphs, JSON values and expressions nested deeper than Python allows get a clear diagnostic, not an internal error.

The compiler must never crash on a graph, whatever the validator or the
input checks in front of it let through (a graph read from the database
may predate them).
"""

from dataclasses import replace

import pytest

from compiler.emit.module import emit
from compiler.emit.support import MAX_LITERAL_DEPTH
from compiler.ir import Graph, IREdge, IRNode
from compiler.lower import lower
from compiler.pipeline import compile_graph
from workflows.node_types import NODE_TYPES


def nested_phases(depth: int) -> Graph:
    nodes = [IRNode("start", "start", "Start", {})]
    parent = None
    for level in range(depth):
        key = f"phase-{level}"
        nodes.append(IRNode(key, "phase", f"Phase {level}", {"name": f"P{level}"}, parent=parent))
        parent = key
    nodes.append(IRNode("done", "end", "Done", {"result": "'ok'"}, parent=parent))
    return Graph("deep", nodes=tuple(nodes), edges=(IREdge("start", "phase-0"),))


def test_phases_nested_past_pythons_block_limit_are_reported_as_too_deep():
    result = compile_graph(nested_phases(40))
    assert result.source is None
    assert [d.message for d in result.diagnostics if d.is_error] == [
        "the graph is nested too deeply to compile; flatten some conditions or phases"
    ]


def test_a_few_nested_phases_compile():
    assert compile_graph(nested_phases(5)).source is not None


def _nested(depth: int, leaf="x"):
    """`depth` lists and objects inside each other, alternating."""
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def _graph_with(depth: int) -> Graph:
    """Every JSON value and expression a user types, nested `depth` levels."""
    brackets = "[" * depth + "1" + "]" * depth
    nodes = (
        IRNode("start", "start", "Start", {"input_fields": [{"name": "a", "type": "dict", "default": _nested(depth)}]}),
        IRNode("memo", "state", "Memo", {"name": "memo", "type": "list", "initial": _nested(depth)}),
        IRNode("think", "agent", "Think", {"prompt": "p", "output_schema": _nested(depth), "output_var": "thought"}),
        IRNode("check", "condition", "Check", {"expression": brackets}),
        IRNode("yes", "end", "Yes", {"result": "(" * depth + "1" + ")" * depth}),
        IRNode("no", "end", "No", {"result": "'no'"}),
    )
    edges = (
        IREdge("start", "think"),
        IREdge("think", "check"),
        IREdge("check", "yes", "true"),
        IREdge("check", "no", "false"),
    )
    return Graph("deep-values", nodes=nodes, edges=edges)


@pytest.mark.parametrize("depth", [65, 300, 1200])
def test_values_and_expressions_nested_too_deep_are_refused_on_their_node_and_field(depth):
    result = compile_graph(_graph_with(depth))
    assert result.source is None
    errors = [d for d in result.diagnostics if d.is_error]
    assert not [d for d in errors if "internal compiler error" in d.message or d.node is None]
    pinned = {(d.node, d.field) for d in errors}
    expected = {("start", "input_fields"), ("memo", "initial"), ("think", "output_schema"), ("check", "expression")}
    assert expected <= pinned
    assert not [d for d in errors if "syntax error" in d.message]
    assert ("yes", "result") in pinned or depth < 200  # redundant parentheses add no depth, only Python's limit of 200


def test_the_emitter_refuses_a_json_value_nested_past_its_limit_whatever_the_validator_let_through():
    """A graph read from the database may skip validation; emitting alone still gives a clear diagnostic."""
    graph = _graph_with(3)
    memo = graph.by_key["memo"]
    deep = replace(memo, config={**memo.config, "initial": _nested(300)})
    tree, diagnostics = lower(replace(graph, nodes=tuple(deep if n.key == "memo" else n for n in graph.nodes)))
    assert tree is not None and not diagnostics
    emitted = emit(tree)
    assert emitted.source is None
    assert [(d.node, d.field, d.message) for d in emitted.diagnostics if d.is_error] == [
        ("memo", "initial", f"initial: the value is nested more than {MAX_LITERAL_DEPTH} levels deep; flatten it")
    ]


def test_a_json_value_exactly_as_deep_as_the_limit_compiles():
    graph = _graph_with(3)
    memo = graph.by_key["memo"]
    deep = replace(memo, config={**memo.config, "initial": _nested(MAX_LITERAL_DEPTH)})
    result = compile_graph(replace(graph, nodes=tuple(deep if n.key == "memo" else n for n in graph.nodes)))
    assert result.source is not None, [d.line() for d in result.diagnostics]


def _every_field_nested(depth: int):
    """(node type, field, graph) with that one field of that node type holding a value nested `depth` levels."""
    for type_name, spec in sorted(NODE_TYPES.items()):
        if type_name == "start":
            continue
        for field in spec.fields:
            node = IRNode("n", type_name, "N", {**spec.defaults(), field.name: _nested(depth)})
            nodes = [IRNode("start", "start", "Start"), node]
            edges = [IREdge("start", "n")]
            if type_name != "end":
                nodes.append(IRNode("done", "end", "Done", {"result": "'ok'"}))
                edges.append(IREdge("n", "done"))
            yield type_name, field.name, Graph("deep-field", nodes=tuple(nodes), edges=tuple(edges))


def test_any_config_field_nested_a_thousand_levels_is_refused_on_its_node_never_a_crash():
    for type_name, field, graph in _every_field_nested(1200):
        result = compile_graph(graph)
        errors = [d for d in result.diagnostics if d.is_error]
        assert result.source is None, (type_name, field)
        assert any(d.node == "n" for d in errors), (type_name, field, errors)
        assert not [d for d in errors if "internal compiler error" in d.message], (type_name, field)
