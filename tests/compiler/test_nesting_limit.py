"""Graphs nested deeper than Python allows get a clear diagnostic, not an internal error."""

from compiler.ir import Graph, IREdge, IRNode
from compiler.pipeline import compile_graph


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
