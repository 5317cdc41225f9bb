"""Random graphs, including garbage, never make validate() raise."""

from __future__ import annotations

import graphlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.diagnostics import Diagnostic, Severity
from compiler.ir import Graph, IREdge, IRNode
from compiler.validate.graph import known_names_for, validate
from tests.compiler.validate_helpers import ACTIVITIES
from workflows.node_types import EDGE_KINDS, NODE_TYPES

KEYS = ["start", "a", "b", "c", "d", "e", "f", "g"]
FIELD_NAMES = sorted({field.name for node_type in NODE_TYPES.values() for field in node_type.fields})
SLOTS = ["body", "remediation", "on_complete", "nowhere"]

expressions = st.sampled_from(
    [
        "input.x",
        "item['name']",
        "item.name",
        "1 +",
        "len(queue)",
        "attempt",
        "result",
        "payload.items",
        "[{'name': 'a', 'dependencies': ['b']}, {'name': 'b', 'dependencies': ['a']}]",
        "[{'name': 'a', 'dependencies': ['zz']}]",
        "[{'name': 1}]",
        "[[[[[]]]]]",
        "*/30 * * * *",
        "0 */30 * *",
        "",
        "   ",
        "x" * 2500,
        "__import__('os')",
        "lambda: 1",
        "f'{x!r}'",
        "queue",
        "progress",
        "input",
        "len",
        "error",
        "manual",
        "cron",
        "error_edge",
        "list",
        "any",
        "package-build",
        "wf",
    ]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | expressions,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
actions = st.lists(
    st.fixed_dictionaries(
        {"op": st.sampled_from(["set", "append", "extend", "merge", "clear", "increment", "cancel_children", "x"])},
        optional={"var": st.sampled_from(["queue", "count", "nope", "1x"]), "value": expressions | json_values},
    ),
    max_size=3,
)
configs = st.one_of(
    st.dictionaries(
        st.sampled_from(FIELD_NAMES) | st.text(max_size=6), expressions | json_values | actions, max_size=6
    ),
    json_values,
)
keys = st.sampled_from(KEYS)
nodes = st.builds(
    IRNode,
    key=keys,
    type=st.sampled_from([*NODE_TYPES, "widget"]),
    label=st.text(max_size=5),
    config=configs,
    parent=st.none() | keys | st.just("ghost"),
    slot=st.sampled_from(SLOTS),
    position=st.integers(-3, 3),
)
edges = st.builds(
    IREdge, source=keys | st.just("ghost"), target=keys | st.just("ghost"), kind=st.sampled_from([*EDGE_KINDS, "x"])
)
node_lists = st.lists(nodes, max_size=12, unique_by=lambda node: node.key) | st.lists(nodes, max_size=8)
graphs = st.builds(
    Graph,
    identifier=st.sampled_from(["wf", "package-build"]),
    nodes=node_lists.map(tuple),
    edges=st.lists(edges, max_size=16).map(tuple),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs, with_activities=st.booleans(), with_project=st.booleans())
def test_validate_never_raises_on_random_graphs(graph, with_activities, with_project):
    project = {"wf": graph, "package-build": Graph("package-build")} if with_project else None
    diagnostics = validate(graph, project_graphs=project, activities=ACTIVITIES if with_activities else None)
    assert all(isinstance(d, Diagnostic) and isinstance(d.severity, Severity) for d in diagnostics)
    assert all(d.node is None or d.node in graph.by_key for d in diagnostics)
    assert diagnostics == validate(graph, project_graphs=project, activities=ACTIVITIES if with_activities else None)
    for node in graph.nodes:
        assert "input" in known_names_for(graph, node, "items")


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.sampled_from(KEYS[1:]), st.sampled_from(KEYS[1:])), max_size=14),
)
def test_a_cycle_is_reported_exactly_when_the_edges_have_one(pairs):
    """Compared with the standard library's topological sorter; each reported cycle is a real path of edges."""
    pairs = sorted({(a, b) for a, b in pairs if a != b})
    timers = [IRNode(key, "timer", key, {"duration": "1"}) for key in KEYS[1:]]
    graph = Graph("wf", nodes=(IRNode("start", "start", "Start"), *timers), edges=tuple(IREdge(a, b) for a, b in pairs))
    sorter = graphlib.TopologicalSorter({key: set() for key in KEYS[1:]})
    for a, b in pairs:
        sorter.add(b, a)
    try:
        sorter.prepare()
        has_cycle = False
    except graphlib.CycleError:
        has_cycle = True
    reported = [d for d in validate(graph) if d.message.startswith("Steps form a cycle outside a loop: ")]
    assert bool(reported) == has_cycle
    for diagnostic in reported:
        path = diagnostic.message.removeprefix("Steps form a cycle outside a loop: ").split(" -> ")
        assert path[0] == path[-1]
        assert all((a, b) in pairs for a, b in zip(path, path[1:], strict=False))
        assert diagnostic.edge == f"{path[-2]} -next-> {path[-1]}"
