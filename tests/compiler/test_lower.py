"""Lowering hand-built graphs into the structured tree (compiler/lower.py)."""

from __future__ import annotations

import pytest

from compiler.ir import Graph, IREdge, IRNode
from compiler.lower import lower
from compiler.tree import Container, If, Sequence, Step, Try
from compiler.validate.graph import validate


def node(key: str, type_: str = "activity", parent: str | None = None, **config) -> IRNode:
    return IRNode(key, type_, key, config, parent=parent)


def graph(nodes: list[IRNode], edges: list[tuple]) -> Graph:
    return Graph("test", nodes=tuple(nodes), edges=tuple(IREdge(*edge) for edge in edges))


def keys(sequence: Sequence) -> list:
    """The tree as nested lists of node keys, readable in assertions."""
    shape: list = []
    for block in sequence.steps:
        if isinstance(block, If):
            shape.append({block.node.key: [keys(block.then), keys(block.orelse)]})
        elif isinstance(block, Try):
            shape.append({"try": [block.step.node.key, keys(block.on_error), keys(block.on_success)]})
        elif isinstance(block, Container):
            shape.append({block.node.key: keys(block.slots["body"])})
        else:
            assert isinstance(block, Step)
            shape.append(block.node.key)
    return shape


def test_sequence_follows_next_edges():
    tree, diagnostics = lower(graph([node("start", "start"), node("a"), node("b")], [("start", "a"), ("a", "b")]))
    assert diagnostics == []
    assert keys(tree.body) == ["a", "b"]


def test_condition_rejoins_at_post_dominator():
    nodes = [node("start", "start"), node("c", "condition"), node("t"), node("f"), node("join"), node("after")]
    edges = [("start", "c"), ("c", "t", "true"), ("c", "f", "false"), ("t", "join"), ("f", "join"), ("join", "after")]
    tree, _ = lower(graph(nodes, edges))
    assert keys(tree.body) == [{"c": [["t"], ["f"]]}, "join", "after"]


def test_branch_to_the_join_point_is_empty():
    nodes = [node("start", "start"), node("c", "condition"), node("t"), node("join")]
    edges = [("start", "c"), ("c", "t", "true"), ("c", "join", "false"), ("t", "join")]
    tree, _ = lower(graph(nodes, edges))
    assert keys(tree.body) == [{"c": [["t"], []]}, "join"]


def test_nested_conditions_rejoin_at_their_own_post_dominators():
    nodes = [
        node("start", "start"),
        node("c1", "condition"),
        node("c2", "condition"),
        node("a"),
        node("b"),
        node("inner"),
        node("x"),
        node("outer"),
    ]
    edges = [
        ("start", "c1"),
        ("c1", "c2", "true"),
        ("c1", "x", "false"),
        ("c2", "a", "true"),
        ("c2", "b", "false"),
        ("a", "inner"),
        ("b", "inner"),
        ("inner", "outer"),
        ("x", "outer"),
    ]
    tree, _ = lower(graph(nodes, edges))
    assert keys(tree.body) == [{"c1": [[{"c2": [["a"], ["b"]]}, "inner"], ["x"]]}, "outer"]


def test_early_end_does_not_swallow_the_rest_into_an_else():
    nodes = [
        node("start", "start"),
        node("c", "condition"),
        node("stop", "end"),
        node("a"),
        node("b"),
        node("done", "end"),
    ]
    edges = [("start", "c"), ("c", "stop", "true"), ("c", "a", "false"), ("a", "b"), ("b", "done")]
    tree, _ = lower(graph(nodes, edges))
    assert keys(tree.body) == [{"c": [["stop"], []]}, "a", "b", "done"]


def test_non_rejoining_branch_copies_the_shared_tail_into_each_branch():
    # c -> t -> shared -> tail; c -> f -> f2 (c2) which goes to shared or straight to tail:
    # 'shared' is reached from both branches but 'tail' is the only common point.
    nodes = [
        node("start", "start"),
        node("c", "condition"),
        node("t"),
        node("c2", "condition"),
        node("shared"),
        node("tail"),
    ]
    edges = [
        ("start", "c"),
        ("c", "t", "true"),
        ("c", "c2", "false"),
        ("t", "shared"),
        ("c2", "shared", "true"),
        ("c2", "tail", "false"),
        ("shared", "tail"),
    ]
    tree, diagnostics = lower(graph(nodes, edges))
    assert diagnostics == []
    assert keys(tree.body) == [{"c": [["t", "shared"], [{"c2": [["shared"], []]}]]}, "tail"]


def test_runaway_tail_copies_are_refused_with_an_edge_to_change():
    # A ladder of conditions whose branches cross: copies double at every rung.
    nodes, edges = [node("start", "start")], [("start", "c0")]
    rungs = 14
    for i in range(rungs):
        nodes += [node(f"c{i}", "condition"), node(f"a{i}")]
        edges += [(f"c{i}", f"a{i}", "true"), (f"c{i}", f"c{i + 1}", "false"), (f"a{i}", f"c{i + 1}")]
    nodes.append(node(f"c{rungs}", "condition"))
    nodes += [node("x"), node("y"), node("z")]
    edges += [(f"c{rungs}", "x", "true"), (f"c{rungs}", "y", "false"), ("x", "z"), ("y", "z")]
    for i in range(rungs):  # a shortcut from each a_i to z defeats every join but z
        edges.append((f"a{i}", "z", "error"))
    tree, diagnostics = lower(graph(nodes, edges))
    assert tree is None
    assert "branches do not re-join" in diagnostics[0].message
    assert "change edge" in diagnostics[0].message


def test_error_edge_becomes_try_with_both_paths_rejoining():
    nodes = [node("start", "start"), node("deploy"), node("rollback"), node("notify"), node("after")]
    edges = [
        ("start", "deploy"),
        ("deploy", "notify"),
        ("deploy", "rollback", "error"),
        ("rollback", "after"),
        ("notify", "after"),
    ]
    tree, _ = lower(graph(nodes, edges))
    assert keys(tree.body) == [{"try": ["deploy", ["rollback"], ["notify"]]}, "after"]


def test_a_cycle_is_the_validators_to_report_lowering_only_asserts():
    nodes = [node("start", "start"), node("a"), node("b")]
    cyclic = graph(nodes, [("start", "a"), ("a", "b"), ("b", "a")])
    [found] = [d for d in validate(cyclic) if d.is_error and d.edge]
    assert found.edge == "b -next-> a" and "loop" in found.message
    with pytest.raises(AssertionError, match="the graph was not validated"):
        lower(cyclic)


def test_phase_body_is_lowered_inside_the_phase():
    nodes = [
        node("start", "start"),
        node("p", "phase", name="BUILD"),
        node("a", parent="p"),
        node("b", parent="p"),
        node("after"),
    ]
    edges = [("start", "p"), ("p", "after"), ("a", "b")]
    tree, _ = lower(graph(nodes, edges))
    assert keys(tree.body) == [{"p": ["a", "b"]}, "after"]
    assert tree.tracked == ["p", "a", "b", "after"]


def test_retry_block_and_loop_hold_their_slots():
    nodes = [
        node("start", "start"),
        node("loop", "loop"),
        node("retry", "retry_block", parent="loop"),
        node("step", parent="retry"),
        IRNode("fix", "agent", "fix", {}, parent="retry", slot="remediation"),
        node("after"),
    ]
    tree, diagnostics = lower(graph(nodes, [("start", "loop"), ("loop", "after")]))
    assert diagnostics == []
    loop, after = tree.body.steps
    assert isinstance(loop, Container) and loop.node.type == "loop" and isinstance(after, Step)
    retry = loop.slots["body"].steps[0]
    assert isinstance(retry, Container) and list(retry.slots) == ["body", "remediation"]
    assert keys(retry.slots["body"]) == ["step"] and keys(retry.slots["remediation"]) == ["fix"]
    assert tree.tracked == ["loop", "retry", "step", "fix", "after"]


def test_long_sequence_does_not_recurse():
    count = 5000
    nodes = [node("start", "start")] + [node(f"n{i}") for i in range(count)]
    edges = [("start", "n0")] + [(f"n{i}", f"n{i + 1}") for i in range(count - 1)]
    tree, _ = lower(graph(nodes, edges))
    assert len(tree.body.steps) == count


def test_result_variables_are_collected_once_in_graph_order():
    nodes = [
        node("start", "start"),
        node("a", result_var="x"),
        node("b", result_var="x"),
        node("s", "state", name="y"),
        node("c", result_var="y"),
    ]
    tree, _ = lower(graph(nodes, [("start", "a"), ("a", "b"), ("b", "c")]))
    assert [name for name, _ in tree.variables] == ["x"]
