"""Spawner and dependency_graph nodes compiled and run on real Temporal servers.

The children are a tiny compiled workflow, `sleeper`: a timer of
`input.duration` seconds, then (when `input.fail`) an activity that fails.
Under the time-skipping server the timers pass instantly but the history
keeps their virtual times, so the makespan of a spawner run can be compared
with the greedy list schedule of compiler.runtime.scheduling.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from compiler.pipeline import compile_graph
from compiler.runtime.retry import error_text
from tests.compiler.documents import graph_from_document
from tests.compiler.execution import document, load_documents, run_workflow, studio_id
from tests.compiler.makespan import greedy_makespan

pytestmark = pytest.mark.temporal

# Eight packages: three roots, a diamond, a chain. With 3 slots the limit binds (64 s; unlimited: 48 s).
DAG = {
    "core": [],
    "utils": [],
    "log": [],
    "http": ["core"],
    "db": ["core", "utils"],
    "cli": ["utils"],
    "auth": ["http", "db"],
    "web": ["auth", "cli"],
}
# No two children finish at the same instant, so the order of starts is unambiguous.
DURATIONS = {"core": 13, "utils": 11, "log": 29, "http": 18, "db": 23, "cli": 19, "auth": 7, "web": 5}
NOTES: list[dict] = []


@activity.defn(name="explode")
async def explode(arguments: dict) -> None:
    raise ApplicationError(f"{arguments['name']} broke", non_retryable=True)


@activity.defn(name="note")
async def note(arguments: dict) -> None:
    NOTES.append(arguments)


def sleeper() -> dict:
    return document(
        "sleeper",
        [
            {"key": "start", "type": "start"},
            {"key": "wait", "type": "timer", "config": {"duration": "input.duration"}},
            {"key": "should-fail", "type": "condition", "config": {"expression": "get(input, 'fail', False)"}},
            {
                "key": "explode",
                "type": "activity",
                "config": {"activity": "explode", "args": {"name": "input.name"}, "retry": {"max_attempts": 1}},
            },
            {"key": "done", "type": "end", "config": {"result": "{'slept': input.duration}"}},
        ],
        [
            ("start", "wait"),
            ("wait", "should-fail"),
            ("should-fail", "explode", "true"),
            ("should-fail", "done", "false"),
        ],
    )


def spawning(
    items: str = "input.items", on_failure: str = "skip_dependents", on_complete: bool = False, **extra
) -> dict:
    spawner = {
        "key": "builds",
        "type": "spawner",
        "label": "Build All",
        "config": {
            "items": items,
            "workflow": "sleeper",
            "item_key": "item.name",
            "depends_on": "item.deps",
            "input": "{'name': item.name, 'duration': item.duration, 'fail': get(item, 'fail', False)}",
            "max_concurrency": "input.limit",
            "on_failure": on_failure,
            "result_var": "outcome",
            **extra,
        },
    }
    nodes = [
        {
            "key": "start",
            "type": "start",
            "config": {
                "input_fields": [{"name": "limit", "type": "int", "default": 3}, {"name": "items", "type": "list"}]
            },
        },
        spawner,
        {"key": "done", "type": "end", "config": {"result": "outcome"}},
    ]
    if on_complete:
        nodes.append(
            {
                "key": "note",
                "type": "activity",
                "parent": "builds",
                "slot": "on_complete",
                "config": {
                    "activity": "note",
                    "args": {"name": "item.name", "status": "child_status", "error": "error"},
                },
            }
        )
    return document("spawning", nodes, [("start", "builds"), ("builds", "done")])


def items(dag: dict[str, list[str]], durations: dict[str, int], failing: tuple[str, ...] = ()) -> list[dict]:
    return [
        {"name": name, "deps": deps, "duration": durations[name], "fail": name in failing} for name, deps in dag.items()
    ]


def child_events(history) -> list[tuple[float, str, str]]:
    """(virtual seconds, "started" / "completed" / "failed" / "canceled", child name) in history order."""
    kinds = {
        EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: ("started", "child_workflow_execution_started"),
        EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: ("completed", "child_workflow_execution_completed"),
        EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED: ("failed", "child_workflow_execution_failed"),
        EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED: ("canceled", "child_workflow_execution_canceled"),
    }
    events = []
    for event in history.events:
        if event.event_type in kinds:
            kind, field = kinds[event.event_type]
            child_id = getattr(event, field + "_event_attributes").workflow_execution.workflow_id
            events.append((event.event_time.ToDatetime().timestamp(), kind, child_id.rsplit("-builds-", 1)[1]))
    return events


def test_dependency_dag_runs_in_order_within_the_limit_and_matches_the_greedy_makespan(
    time_skipping_env, run_async, tmp_path
):
    workflows = load_documents(tmp_path, spawning(), sleeper())
    payload = {"items": items(DAG, DURATIONS), "limit": 3}
    result, history, answers = run_async(
        run_workflow(time_skipping_env, workflows, [], "spawning", payload, queries=["progress"])
    )

    assert {key: entry["status"] for key, entry in result.items()} == dict.fromkeys(DAG, "completed")
    assert result["web"]["result"] == {"slept": 5}
    events = child_events(history)
    open_children: set[str] = set()
    completed: set[str] = set()
    for _, kind, name in events:
        if kind == "started":
            assert set(DAG[name]) <= completed, f"{name} started before {set(DAG[name]) - completed} completed"
            open_children.add(name)
            assert len(open_children) <= 3
        else:
            open_children.discard(name)
            completed.add(name)
    makespan = events[-1][0] - events[0][0]
    assert greedy_makespan(DAG, DURATIONS, 3) == 64 < greedy_makespan(DAG, DURATIONS, 2)
    assert makespan == pytest.approx(64, abs=1)
    assert answers["progress"]["items"]["builds"] == dict.fromkeys(DAG, "completed")


async def run_to_end(env, workflows, activities, payload, identifier="spawning"):
    """Like run_workflow, but a failed run gives (failure, history, progress) instead of raising."""
    queue = f"spawn-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=list(workflows.values()), activities=activities):
        handle = await env.client.start_workflow(
            identifier, payload, id=studio_id(f"{identifier}-{uuid.uuid4()}"), task_queue=queue
        )
        try:
            outcome = await handle.result()
        except WorkflowFailureError as failure:
            outcome = failure
        return outcome, await handle.fetch_history(), await handle.query("progress")


def test_fail_fast_cancels_running_children_and_fails_with_the_first_failure(time_skipping_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, spawning(on_failure="fail_fast"), sleeper())
    dag = {"quick": [], "slow": [], "slower": [], "later": ["quick"]}
    durations = {"quick": 5, "slow": 600, "slower": 900, "later": 1}
    payload = {"items": items(dag, durations, failing=("quick",)), "limit": 3}

    failure, history, progress = run_async(run_to_end(time_skipping_env, workflows, [explode], payload))

    assert isinstance(failure, WorkflowFailureError)
    message = error_text(failure)
    assert "spawner builds: child quick failed" in message and "quick broke" in message
    assert sorted((kind, name) for _, kind, name in child_events(history) if kind != "started") == [
        ("canceled", "slow"),
        ("canceled", "slower"),
        ("failed", "quick"),
    ]
    assert progress["items"]["builds"] == {
        "quick": "failed",
        "slow": "cancelled",
        "slower": "cancelled",
        "later": "cancelled",
    }
    assert progress["nodes"]["builds"] == "failed"


def test_skip_dependents_skips_exactly_the_dependents_of_a_failed_child(time_skipping_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, spawning(on_complete=True), sleeper())
    dag = {"base": [], "mid": ["base"], "top": ["mid"], "other": [], "leaf": ["other"], "side": ["other", "base"]}
    durations = {"base": 3, "mid": 2, "top": 1, "other": 4, "leaf": 2, "side": 1}
    payload = {"items": items(dag, durations, failing=("base",)), "limit": 2}
    NOTES.clear()

    result, history, progress = run_async(run_to_end(time_skipping_env, workflows, [explode, note], payload))

    statuses = {key: entry["status"] for key, entry in result.items()}
    assert statuses == {
        "base": "failed",
        "mid": "skipped",
        "top": "skipped",
        "other": "completed",
        "leaf": "completed",
        "side": "skipped",
    }
    assert result["top"]["reason"] == "dependency base failed"
    assert "base broke" in result["base"]["error"]
    assert {name for _, _, name in child_events(history)} == {"base", "other", "leaf"}
    assert sorted((n["name"], n["status"]) for n in NOTES) == [
        ("base", "failed"),
        ("leaf", "completed"),
        ("other", "completed"),
    ]
    assert progress["items"]["builds"] == statuses


def test_a_dependent_starts_only_after_its_dependencys_on_complete_steps(time_skipping_env, run_async, tmp_path):
    """continuous-builder publishes a package in on_complete; its dependents verify that before building."""
    workflows = load_documents(tmp_path, spawning(on_complete=True), sleeper())
    payload = {"items": items({"lib": [], "app": ["lib"]}, {"lib": 1, "app": 1}), "limit": 2}

    _, history, _ = run_async(run_to_end(time_skipping_env, workflows, [note], payload))

    kinds = [event.event_type for event in history.events]
    lib_noted = kinds.index(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)  # lib finishes first: the first note
    app_started = [
        index
        for index, event in enumerate(history.events)
        if event.event_type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
    ][1]
    assert lib_noted < app_started


def test_a_long_on_complete_holds_up_neither_the_next_completion_nor_the_round(time_skipping_env, run_async, tmp_path):
    """`first` finishes first, but its on_complete backs off an hour; `second`'s is handled meanwhile."""
    document = spawning(on_complete=True)
    back_off = {"duration": "3600 if item.name == 'first' else 1"}
    document["nodes"].append(
        {"key": "back-off", "type": "timer", "parent": "builds", "slot": "on_complete", "config": back_off}
    )
    document["edges"].append({"source": "back-off", "target": "note", "kind": "next"})
    workflows = load_documents(tmp_path, document, sleeper())
    payload = {"items": items({"first": [], "second": []}, {"first": 1, "second": 5}), "limit": 2}
    NOTES.clear()

    result, history, progress = run_async(run_to_end(time_skipping_env, workflows, [note], payload))

    assert [n["name"] for n in NOTES] == ["second", "first"]
    assert {key: entry["status"] for key, entry in result.items()} == {"first": "completed", "second": "completed"}
    notes_at = [
        event.event_time.ToDatetime().timestamp()
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    started = history.events[0].event_time.ToDatetime().timestamp()
    assert notes_at[0] - started < 60 and notes_at[1] - started >= 3600  # second's note did not wait for first's
    assert progress["nodes"]["builds"] == "completed"


def test_an_end_node_among_on_complete_steps_is_refused():
    """on_complete runs once per finished child, side by side: an end there could not end the workflow."""
    document = spawning(on_complete=True)
    document["nodes"].append({"key": "stop-early", "type": "end", "parent": "builds", "slot": "on_complete"})
    document["edges"].append({"source": "note", "target": "stop-early", "kind": "next"})
    graphs = {d["identifier"]: graph_from_document(d) for d in (document, sleeper())}

    compiled = compile_graph(graphs["spawning"], project_graphs=graphs)

    assert compiled.source is None
    assert [d.node for d in compiled.diagnostics if "An end node cannot be among" in d.message] == ["stop-early"]


def queue_consumer() -> dict:
    """A loop that waits for a non-empty queue, which an `add` signal fills, and a work-queue spawner."""
    spawner = {
        "items": "queue",
        "workflow": "sleeper",
        "item_key": "item.name",
        "depends_on": "item.deps",
        "input": "{'name': item.name, 'duration': 1}",
        "max_concurrency": "2",
        "on_failure": "continue",
        "result_var": "outcome",
    }
    return document(
        "queued",
        [
            {"key": "start", "type": "start"},
            {"key": "queue", "type": "state", "config": {"name": "queue", "type": "list"}},
            {"key": "stopping", "type": "state", "config": {"name": "stopping", "type": "bool"}},
            signal_handler("add", {"op": "extend", "var": "queue", "value": "payload"}),
            signal_handler("stop", {"op": "set", "var": "stopping", "value": "True"}),
            {
                "key": "main",
                "type": "loop",
                "config": {"while_expression": "not stopping", "wait_for": "stopping or len(queue) > 0"},
            },
            {"key": "builds", "type": "spawner", "parent": "main", "config": spawner},
            {"key": "done", "type": "end", "config": {"result": "{'queue': queue, 'outcome': outcome}"}},
        ],
        [("start", "main"), ("main", "done")],
    )


def signal_handler(signal: str, action: dict) -> dict:
    return {"key": f"on-{signal}", "type": "signal_handler", "config": {"signal": signal, "actions": [action]}}


def test_a_queued_item_waiting_on_a_key_nobody_queued_is_reported_not_spun_on(time_skipping_env, run_async, tmp_path):
    """Left in the queue, it kept the loop's wait true and the workflow spun until deadlock detection."""
    workflows = load_documents(tmp_path, queue_consumer(), sleeper())

    async def scenario():
        queue = f"queued-{uuid.uuid4()}"
        async with Worker(time_skipping_env.client, task_queue=queue, workflows=list(workflows.values())):
            handle = await time_skipping_env.client.start_workflow(
                "queued", {}, id=studio_id(f"queued-{uuid.uuid4()}"), task_queue=queue
            )
            await handle.signal("add", [{"name": "ok", "deps": []}, {"name": "orphan", "deps": ["ghost"]}])
            await asyncio.sleep(1)
            await handle.signal("stop", None)
            return await handle.result(), await handle.fetch_history()

    result, history = run_async(scenario(), timeout=60)

    assert result["queue"] == []
    assert result["outcome"]["orphan"]["reason"] == "waiting on ghost which can never complete"
    failed_tasks = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]
    assert failed_tasks == []


def test_deadlock_guard_reports_items_waiting_on_a_key_that_never_comes(time_skipping_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, spawning(), sleeper())
    dag = {"ok": [], "orphan": ["ghost"], "after-orphan": ["orphan"]}
    payload = {"items": items(dag, {"ok": 1, "orphan": 1, "after-orphan": 1}), "limit": 2}

    result, _, _ = run_async(run_to_end(time_skipping_env, workflows, [], payload))

    assert result["ok"]["status"] == "completed"
    assert result["orphan"] == {
        "status": "blocked",
        "result": None,
        "error": None,
        "reason": "waiting on ghost which can never complete",
    }
    assert result["after-orphan"]["status"] == "blocked"


def test_a_static_dependency_cycle_is_a_validation_error_naming_it():
    static_items = repr([{"name": "a", "deps": ["b"]}, {"name": "b", "deps": ["a"]}, {"name": "c", "deps": []}])
    graphs = {d["identifier"]: graph_from_document(d) for d in (spawning(items=static_items), sleeper())}

    compiled = compile_graph(graphs["spawning"], project_graphs=graphs)

    assert compiled.source is None
    assert any("cycle: a -> b -> a" in d.message and d.node == "builds" for d in compiled.diagnostics)


def test_a_dependency_cycle_in_run_time_items_fails_the_run_naming_it(time_skipping_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, spawning(), sleeper())
    dag = {"x": ["z"], "y": ["x"], "z": ["y"], "free": []}
    payload = {"items": items(dag, dict.fromkeys(dag, 1)), "limit": 2}

    failure, history, _ = run_async(run_to_end(time_skipping_env, workflows, [], payload))

    assert isinstance(failure, WorkflowFailureError)
    assert "dependency cycle: x -> z -> y -> x" in error_text(failure)
    assert child_events(history) == []


def layering(error_edge: bool = False) -> dict:
    """A dependency_graph over `input.packages`; with `error_edge`, a cycle leads to a `cycle` end node."""
    nodes = [
        {"key": "start", "type": "start", "config": {"input_fields": [{"name": "packages", "type": "list"}]}},
        {
            "key": "order",
            "type": "dependency_graph",
            "label": "Build Order",
            "config": {"items": "input.packages", "item_key": "item.name", "output_var": "layers"},
        },
        {"key": "done", "type": "end", "config": {"result": "layers"}},
    ]
    edges = [("start", "order"), ("order", "done")]
    if error_edge:
        nodes.append({"key": "cycle", "type": "end", "config": {"result": "'no order'"}})
        edges.append(("order", "cycle", "error"))
    return document("layering", nodes, edges)


def packages(dag: dict[str, list[str]]) -> list[dict]:
    return [{"name": name, "dependencies": deps} for name, deps in dag.items()]


def test_dependency_graph_layers_the_items(time_skipping_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, layering())

    result, _, _ = run_async(run_workflow(time_skipping_env, workflows, [], "layering", {"packages": packages(DAG)}))

    assert result == [["core", "log", "utils"], ["cli", "db", "http"], ["auth"], ["web"]]


def test_dependency_graph_cycle_at_run_time_fails_naming_it_or_follows_the_error_edge(
    time_skipping_env, run_async, tmp_path
):
    cyclic = {"packages": packages({"a": ["b"], "b": ["c"], "c": ["a"], "d": []})}
    workflows = load_documents(tmp_path, layering())
    failure, _, progress = run_async(run_to_end(time_skipping_env, workflows, [], cyclic, "layering"))
    assert "dependency cycle: a -> b -> c -> a" in error_text(failure)
    assert progress["nodes"]["order"] == "failed"

    caught = load_documents(tmp_path / "caught", layering(error_edge=True))
    result, _, _ = run_async(run_to_end(time_skipping_env, caught, [], cyclic, "layering"))
    assert result == "no order"


def test_dependency_graph_static_cycle_is_a_validation_error_naming_it():
    document_ = layering()
    document_["nodes"][1]["config"]["items"] = repr(packages({"x": ["y"], "y": ["x"]}))
    graph = graph_from_document(document_)

    compiled = compile_graph(graph, project_graphs={"layering": graph})

    assert compiled.source is None
    assert any("cycle: x -> y -> x" in d.message and d.node == "order" for d in compiled.diagnostics)


def test_a_spawner_inside_another_spawners_on_complete_is_refused():
    nested = spawning(on_complete=True)
    inner = {**nested["nodes"][1], "key": "inner", "parent": "builds", "slot": "on_complete"}
    nested["nodes"].append(inner)
    nested["edges"].append({"source": "note", "target": "inner", "kind": "next"})
    graphs = {d["identifier"]: graph_from_document(d) for d in (nested, sleeper())}

    compiled = compile_graph(graphs["spawning"], project_graphs=graphs)

    assert compiled.source is None
    message = "A spawner cannot be inside the on_complete steps of spawner 'builds'"
    assert [d.node for d in compiled.diagnostics if d.message == message] == ["inner"]
