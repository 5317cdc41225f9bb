"""validate() as a whole: a clean graph, ordering, the shared name rule, and speed."""

from __future__ import annotations

import time

from compiler.validate.graph import known_names_for, validate
from tests.compiler.validate_helpers import ACTIVITIES, chain, e, flow, graph, n

CHILD = graph(n("start", "start"), identifier="package-build")
ORCHESTRATOR = graph(n("start", "start"), n("h", "signal_handler", signal="newPackages"), identifier="orchestrator")
PROJECT = {"package-build": CHILD, "orchestrator": ORCHESTRATOR}


def clean_graph():
    """Every node type, used the way the seed workflows use them."""
    top = [
        n("layers", "dependency_graph", items="input.packages", output_var="order"),
        n("init", "phase", name="INITIALIZE"),
        n(
            "fetch",
            "activity",
            activity="fetch",
            args={"url": "input.registry + '/' + str(len(order))"},
            result_var="index",
        ),
        n("published", "condition", expression="index.published and not paused"),
        n("build", "retry_block", max_attempts=3),
        n(
            "spawn",
            "spawner",
            workflow="package-build",
            items="input.packages",
            item_key="item['name']",
            depends_on="item['dependencies']",
            child_id="'build-' + item['name']",
            max_concurrency="input.max",
            result_var="builds",
        ),
        n("watch", "loop", while_expression="not paused", wait_for="len(queue) > 0", continue_as_new_iterations=100),
        n(
            "notify",
            "signal_send",
            workflow_id="'orchestrator'",
            signal="newPackages",
            payload="queue",
            workflow="orchestrator",
            start_if_missing=True,
        ),
        n("child", "child_workflow", workflow="package-build", input="{'name': 'x'}", result_var="report"),
        n("done", "end", result="{'ok': True, 'report': report, 'builds': builds}"),
    ]
    inside = [
        n("wait", "timer", parent="init", duration="1"),
        n("compile", "activity", parent="build", activity="publish", args={"package": "'p' + str(attempt)"}),
        n(
            "fix",
            "agent",
            parent="build",
            slot="remediation",
            prompt="Fix $error",
            context={"error": "last_error"},
            output_var="fix_notes",
        ),
        n("ok", "condition", parent="spawn", slot="on_complete", expression="child_status == 'completed'"),
        n("mark", "timer", parent="spawn", slot="on_complete", duration="0"),
        n("requeue", "timer", parent="spawn", slot="on_complete", duration="60 if error else 120"),
        n("poll", "timer", parent="watch", duration="30"),
    ]
    declarations = [
        n("queue", "state", name="queue", type="list", initial=[]),
        n("paused", "state", name="paused", type="bool", initial=False),
        n(
            "on-new",
            "signal_handler",
            signal="newPackages",
            actions=[{"op": "merge", "var": "queue", "value": "payload", "key": "name", "priority": "priority"}],
        ),
        n("on-pause", "signal_handler", signal="pause", actions=[{"op": "set", "var": "paused", "value": "True"}]),
        n("state-query", "query", name="state", expression="{'queue': queue, 'paused': paused}"),
    ]
    edges = [
        *chain("start", *[node.key for node in top[:4]]),
        e("published", "done", "true"),
        e("published", "build", "false"),
        *chain("build", "spawn", "watch", "notify", "child", "done"),
        e("ok", "mark", "true"),
        e("ok", "requeue", "false"),
    ]
    return graph(n("start", "start"), *top, *inside, *declarations, edges=edges, identifier="package-builder")


def test_a_clean_graph_has_no_diagnostics():
    assert validate(clean_graph(), project_graphs=PROJECT, activities=ACTIVITIES) == []


def test_diagnostics_are_sorted_and_repeatable():
    g = flow(n("b", "timer", duration="x"), n("a", "timer", duration="y"), extra=[n("lost", "timer", duration="1")])
    first = validate(g)
    assert first == validate(graph(*reversed(g.nodes), edges=list(reversed(g.edges))))
    assert [d.node for d in first] == ["a", "b", "lost"]


def test_known_names_for_follows_containers_and_fields():
    g = clean_graph()
    by_key = g.by_key
    workflow_names = {"input", "queue", "paused", "order", "index", "builds", "fix_notes", "report"}
    assert known_names_for(g, by_key["fetch"]) == workflow_names
    assert known_names_for(g, by_key["spawn"]) == workflow_names
    assert known_names_for(g, by_key["spawn"], "child_id") == workflow_names | {"item"}
    assert known_names_for(g, by_key["layers"], "items") == workflow_names
    assert known_names_for(g, by_key["ok"]) == workflow_names | {"item", "result", "child_status", "error"}
    assert known_names_for(g, by_key["fix"]) == workflow_names | {"attempt", "last_error", "error"}
    assert known_names_for(g, by_key["on-new"]) == workflow_names | {"payload"}


def test_a_5000_node_chain_validates_in_under_a_second_on_every_save():
    """The editor validates the whole graph on every save; later saves reuse the expression checks of the first."""
    steps = [
        n(f"step-{i}", "activity", activity="fetch", args={"url": f"input.base + '/{i}'"}, result_var=f"r{i % 50}")
        for i in range(5000)
    ]
    g = flow(*steps)
    timings = []
    for _ in range(4):  # by CPU time: tests running in parallel slow the wall clock
        started = time.process_time()
        diagnostics = validate(g, activities=ACTIVITIES, project_graphs=PROJECT)
        timings.append(time.process_time() - started)
        assert diagnostics == []
    first, later = timings[0], min(timings[1:])
    shown = ", ".join(f"{t:.2f}" for t in timings)
    assert first < 3.0, f"the first validation took {first:.2f}s ({shown})"
    assert later < 1.0, f"validating again took {later:.2f}s at best ({shown})"
    assert later < first, f"validating again reused nothing ({shown})"
