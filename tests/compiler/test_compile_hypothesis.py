"""Random small graphs: compiling never raises, and every error-free graph yields valid Python."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.ir import Graph, IREdge, IRNode
from compiler.pipeline import compile_graph
from workflows.node_types import NODE_TYPES

FLOW_TYPES = ["activity", "activity", "condition", "end", "timer", "phase", "agent", "child_workflow", "signal_send"]
EXPRESSIONS = ["True", "input.x > 1", "count + 1", "len(items_seen)", "out", "'text'", "count", "undefined_name"]
CONFIGS = {
    "activity": st.fixed_dictionaries(
        {
            "activity": st.just("act"),
            "args": st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(EXPRESSIONS), max_size=2),
            "result_var": st.sampled_from(["out", "out", "count"]),
        }
    ),
    "condition": st.fixed_dictionaries({"expression": st.sampled_from(EXPRESSIONS)}),
    "end": st.fixed_dictionaries({"result": st.sampled_from(EXPRESSIONS)}),
    "timer": st.fixed_dictionaries({"duration": st.sampled_from(["1", "count", "'x'"])}),
    "phase": st.fixed_dictionaries({"name": st.text(min_size=1, max_size=8)}),
    "agent": st.fixed_dictionaries({"prompt": st.text(min_size=1, max_size=8), "output_var": st.just("out")}),
    "child_workflow": st.fixed_dictionaries({"workflow": st.sampled_from(["other", "missing"])}),
    "signal_send": st.fixed_dictionaries({"workflow_id": st.just("'x'"), "signal": st.just("go")}),
    "loop": st.just({}),
}


@st.composite
def graphs(draw) -> Graph:
    """Mostly well-formed graphs (forward edges inside each slot), plus a few random extra edges."""
    count = draw(st.integers(1, 8))
    nodes = [IRNode("start", "start", draw(st.text(max_size=6)), {})]
    slots: dict[str | None, list[str]] = {None: ["start"]}
    for index in range(count):
        type_ = draw(st.sampled_from(FLOW_TYPES))
        parent = draw(st.sampled_from(sorted(slots, key=str)))
        key = f"n{index}"
        nodes.append(IRNode(key, type_, draw(st.text(max_size=6)), draw(CONFIGS[type_]), parent=parent))
        slots[parent].append(key)
        if type_ in ("phase", "loop"):
            slots[key] = []
    nodes.append(IRNode("count", "state", "Count", {"name": "count", "type": "int", "initial": 0}))
    nodes.append(IRNode("items-seen", "state", "Items", {"name": "items_seen", "type": "list"}))
    op = draw(st.sampled_from(["set", "append", "increment", "clear"]))
    nodes.append(
        IRNode(
            "go",
            "signal_handler",
            "Go",
            {"signal": "go", "actions": [{"op": op, "var": "items_seen" if op == "append" else "count", "value": "1"}]},
        )
    )
    types = {node.key: node.type for node in nodes}
    edges = set()
    for members in slots.values():
        for position, key in enumerate(members):
            later = members[position + 1 :]
            if types[key] == "end" or not later:
                continue
            if types[key] == "condition":
                edges.add(IREdge(key, later[0], "true"))
                edges.add(IREdge(key, draw(st.sampled_from(later)), "false"))
            else:
                edges.add(IREdge(key, later[0] if draw(st.integers(0, 3)) else draw(st.sampled_from(later)), "next"))
                if "error" in NODE_TYPES[types[key]].out_edges and draw(st.booleans()):
                    edges.add(IREdge(key, draw(st.sampled_from(later)), "error"))
    flow = [key for key, type_ in types.items() if type_ not in ("state", "signal_handler")]
    for _ in range(draw(st.integers(0, 2)) if draw(st.booleans()) else 0):
        source, target = draw(st.sampled_from(flow)), draw(st.sampled_from(flow))
        edges.add(IREdge(source, target, draw(st.sampled_from(NODE_TYPES[types[source]].out_edges or ("next",)))))
    return Graph("random", nodes=tuple(nodes), edges=tuple(sorted(edges, key=lambda e: (e.source, e.kind, e.target))))


OTHER = Graph("other", nodes=(IRNode("start", "start", "Start"),))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_compile_or_explain(graph):
    result = compile_graph(graph, project_graphs={"random": graph, "other": OTHER})
    errors = [d for d in result.diagnostics if d.is_error]
    if errors:
        assert result.source is None
    else:
        assert result.source is not None
        compile(result.source, "random.py", "exec")
