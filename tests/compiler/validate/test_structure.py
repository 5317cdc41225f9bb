"""Structural diagnostics: placement, start, edges, slots, reachability, branching, cycles, dead ends."""

from __future__ import annotations

from compiler.validate.graph import validate
from tests.compiler.validate_helpers import chain, e, errors, flow, graph, n, only

END = {"result": "None"}


def test_missing_start():
    found = only(validate(graph(n("a", "timer", duration="1"))))
    assert found.message == "The workflow has no start node"
    assert found.node is None and "add a Start node" in found.hint


def test_second_start_is_reported_on_the_extra_node():
    found = only(validate(graph(n("start", "start"), n("start-2", "start"), edges=[e("start-2", "start")])))
    assert found.node == "start-2"
    assert found.message.startswith("More than one start node: 'start' is already the start")


def test_start_inside_a_container():
    g = graph(n("p", "phase", name="P"), n("s", "start", parent="p"))
    found = only(validate(g))
    assert (found.node, found.field) == ("s", "parent")
    assert found.message == "The start node must be at the top level, not inside 'p'"


def test_unreachable_node_at_top_level():
    found = only(validate(flow(n("a", "timer", duration="1"), extra=[n("lost", "timer", duration="1")])))
    assert found.node == "lost"
    assert found.message == "'lost' can never run: no path leads to it from the start"


def test_unreachable_node_inside_a_container_names_the_first_step():
    body = [n("a", "timer", parent="p", duration="1"), n("b", "timer", parent="p", duration="1")]
    g = flow(
        n("p", "phase", name="P"), *body, n("c", "timer", parent="p", duration="1"), edges=[e("a", "b"), e("c", "b")]
    )
    found = [d for d in validate(g) if d.is_error]
    assert [d.node for d in found] == ["p"]
    assert "2 first steps (a, c)" in found[0].message


def test_unreachable_container_hides_its_children():
    lost = [n("lost", "phase", name="L"), n("inner", "timer", parent="lost", duration="1")]
    found = only(validate(flow(n("a", "timer", duration="1"), extra=lost)))
    assert found.node == "lost"


def test_condition_without_false_edge():
    g = flow(
        n("c", "condition", expression="input.ok"), extra=[n("done", "end", **END)], edges=[e("c", "done", "true")]
    )
    found = only(validate(g))
    assert (found.node, found.message) == ("c", "Condition 'c' has no false edge")
    assert "when the expression is false" in found.hint


def test_two_next_edges_name_the_edge_to_remove():
    g = flow(
        n("a", "timer", duration="1"),
        n("b", "timer", duration="1"),
        extra=[n("c", "timer", duration="1")],
        edges=[e("a", "c")],
    )
    found = only(validate(g))
    assert found.node == "a" and found.edge == "a -next-> c"
    assert found.message.startswith("'a' has 2 next edges (to b, c): steps run one after another")
    assert found.hint.startswith("delete the edge a -next-> c")


def test_two_error_edges():
    handlers = [n("h1", "timer", duration="1"), n("h2", "timer", duration="1")]
    g = flow(n("a", "activity", activity="fetch"), extra=handlers, edges=[e("a", "h1", "error"), e("a", "h2", "error")])
    found = only(validate(g))
    assert found.edge == "a -error-> h2" and "only one of them can be followed" in found.message


def test_cycle_outside_a_loop_names_the_edge_leading_back():
    steps = [n("a", "timer", duration="1"), n("b", "timer", duration="1")]
    extra = [n("c", "condition", expression="True"), n("done", "end", **END)]
    g = flow(*steps, extra=extra, edges=[e("b", "c"), e("c", "a", "true"), e("c", "done", "false")])
    found = only(validate(g))
    assert found.edge == "c -true-> a"
    assert found.message == "Steps form a cycle outside a loop: a -> b -> c -> a"
    assert "loop container" in found.hint


def test_loop_container_is_the_way_to_repeat():
    body = [n("a", "timer", parent="l", duration="1"), n("b", "timer", parent="l", duration="1")]
    assert validate(flow(n("l", "loop", while_expression="True"), *body, edges=chain("a", "b"))) == []


def test_edge_across_containers():
    g = flow(n("p", "phase", name="P"), n("a", "timer", parent="p", duration="1"), n("b", "timer", duration="1"))
    g = graph(*g.nodes, edges=[*g.edges, e("a", "b")])
    found = only(validate(g))
    assert found.edge == "a -next-> b" and found.node is None
    assert found.message == "Edge a -next-> b crosses containers: 'a' is in the body of 'p' and 'b' is in the top level"


def test_edge_to_a_missing_node():
    found = only(validate(flow(n("a", "timer", duration="1"), edges=[e("a", "ghost")])))
    assert found.message == "Edge a -next-> ghost uses 'ghost', which is not a node of this workflow"


def test_self_loop_and_unknown_kind():
    g = flow(n("a", "timer", duration="1"), edges=[e("a", "a"), e("start", "a", "sideways")])
    messages = [d.message for d in errors(validate(g))]
    assert messages == [
        "Edge a -next-> a connects 'a' to itself",
        "Edge start -sideways-> a has the unknown kind 'sideways'",
    ]


def test_error_edge_from_a_node_that_cannot_fail():
    g = flow(n("t", "timer", duration="1"), extra=[n("h", "timer", duration="1")], edges=[e("t", "h", "error")])
    found = only(validate(g))
    assert found.edge == "t -error-> h"
    assert found.message == "A Timer node cannot fail, so it cannot have an error edge"


def test_edges_out_of_end_and_next_from_condition():
    g = flow(n("c", "condition", expression="True"), n("x", "end", **END), extra=[n("y", "end", **END)])
    g = graph(*g.nodes, edges=[e("start", "c"), e("c", "x", "true"), e("c", "y", "false"), e("c", "x"), e("x", "y")])
    messages = {d.edge: d.message for d in errors(validate(g))}
    assert messages == {
        "c -next-> x": "A Condition node cannot have a 'next' edge (allowed: true, false)",
        "x -next-> y": "An End node finishes the workflow and cannot have outgoing edges",
    }


def test_container_slot_without_a_first_step():
    body = [n("a", "timer", parent="p", duration="1"), n("b", "timer", parent="p", duration="1")]
    found = errors(validate(flow(n("p", "phase", name="P"), *body, edges=[e("a", "b"), e("b", "a")])))
    assert [d.message for d in found] == [
        "Steps form a cycle outside a loop: a -> b -> a",
        "The body of 'p' has no first step: every step in it has an incoming edge",
    ]


def test_empty_phase_is_a_warning():
    found = only(validate(flow(n("p", "phase", name="P"))), "warning")
    assert (found.node, found.message) == ("p", "Phase 'p' is empty")


def test_declarations_take_no_edges_and_stay_at_top_level():
    g = flow(
        n("p", "phase", name="P"),
        n("t", "timer", parent="p", duration="1"),
        extra=[
            n("s", "state", name="queue"),
            n("q", "query", parent="p", name="q", expression="1"),
        ],
        edges=[e("p", "s")],
    )
    found = errors(validate(g))
    assert [(d.node, d.message) for d in found] == [
        ("q", "Query nodes declare something for the whole workflow and must be at the top level"),
        ("s", "State variable node 's' is a declaration and cannot have edges"),
    ]


def test_broken_container_chains():
    g = flow(
        n("a", "timer", duration="1"),
        extra=[
            n("orphan", "timer", parent="ghost", duration="1"),
            n("in-timer", "timer", parent="a", duration="1"),
            n("p", "phase", name="P"),
            n("bad-slot", "timer", parent="p", slot="remediation", duration="1"),
            n("top-slot", "timer", slot="on_complete", duration="1"),
            n("x", "phase", parent="y", name="X"),
            n("y", "phase", parent="x", name="Y"),
        ],
        edges=[e("a", "p")],
    )
    found = {d.node: d.message for d in errors(validate(g))}
    assert found == {
        "orphan": "'orphan' is inside 'ghost', which is not a node of this workflow",
        "in-timer": "'a' is a Timer node and cannot hold other nodes",
        "bad-slot": "A Phase holds nodes in body, not in 'remediation'",
        "top-slot": "Top-level nodes sit in the 'body' slot, not 'on_complete'",
        "x": "'x' is inside itself: its containers form a loop (x -> y -> x, each inside the next)",
        "y": "'y' is inside itself: its containers form a loop (y -> x -> y, each inside the next)",
    }


def test_dead_end_when_the_top_level_can_also_finish_at_an_end():
    g = flow(
        n("c", "condition", expression="input.ok"),
        extra=[n("done", "end", result="1"), n("stuck", "timer", duration="1")],
        edges=[e("c", "done", "true"), e("c", "stuck", "false")],
    )
    found = only(validate(g), "warning")
    assert found.node == "stuck"
    assert found.message == "Dead end: the workflow stops after 'stuck' without reaching an end node (result None)"


def test_a_single_last_step_is_not_a_dead_end():
    assert validate(flow(n("a", "timer", duration="1"))) == []


def test_branches_that_stop_inside_a_container_finish_the_container():
    body = [
        n("c", "condition", parent="p", expression="input.ok"),
        n("yes", "timer", parent="p", duration="1"),
        n("no", "timer", parent="p", duration="2"),
    ]
    g = flow(n("p", "phase", name="P"), *body, edges=[e("c", "yes", "true"), e("c", "no", "false")])
    assert validate(g) == []


def test_overlapping_cycles_are_reported_once():
    steps = [n(key, "timer", duration="1") for key in ("a", "b", "c")]
    g = graph(n("start", "start"), *steps, edges=[*chain("start", "a", "b", "c"), e("c", "a"), e("b", "a")])
    found = [d for d in validate(g) if d.message.startswith("Steps form a cycle")]
    assert [(d.edge, d.message.split(": ")[1]) for d in found] == [("c -next-> a", "a -> b -> c -> a")]


def test_each_region_of_steps_a_cycle_blocks_is_reported_once():
    """Cycles joined by edges are one report (fixing it shows the next); a separate one is a second report."""
    keys = [f"s{i}" for i in range(400)] + ["x", "y"]
    steps = [n(key, "timer", duration="1") for key in keys]
    ping_pong = [edge for i in range(399) for edge in (e(f"s{i}", f"s{i + 1}"), e(f"s{i + 1}", f"s{i}"))]
    g = graph(n("start", "start"), *steps, edges=[e("start", "s0"), *ping_pong, e("x", "y"), e("y", "x")])
    found = [d for d in validate(g) if d.message.startswith("Steps form a cycle")]
    assert [d.edge for d in found] == ["s1 -next-> s0", "y -next-> x"]


def test_deeply_nested_containers_do_not_exhaust_the_stack():
    phases = [n("p0", "phase", name="P")]
    phases += [n(f"p{i}", "phase", parent=f"p{i - 1}", name="P") for i in range(1, 3000)]
    g = flow(*phases, n("leaf", "timer", parent="p2999", duration="1"))
    assert validate(g) == []
