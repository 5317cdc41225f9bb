"""Compiled workflows run on a real Temporal server and do what their graph says.

Graphs are JSON documents; the generated modules are loaded from disk with
compiler.builds.loader and run by a Worker with the default sandboxed runner.
Activities are test doubles registered under the names the graphs call,
each taking one dict, as the activity registry's adapters do.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from temporalio import activity
from temporalio.exceptions import ApplicationError

from tests.compiler.documents import GOLDEN_DIR
from tests.compiler.execution import activity_ids, document, load_documents, run_workflow

pytestmark = pytest.mark.temporal

CALLS: list[tuple[str, dict]] = []


@activity.defn(name="check_package_exists")
async def check_package_exists(arguments: dict) -> dict:
    CALLS.append(("check_package_exists", arguments))
    return {"code_exists": arguments["package"] != "missing"}


@activity.defn(name="publish_package")
async def publish_package(arguments: dict) -> dict:
    CALLS.append(("publish_package", arguments))
    return {"published": arguments["package"]}


@activity.defn(name="handle")
async def handle_size(arguments: dict) -> str:
    return f"handled {arguments['kind']}"


@activity.defn(name="report")
async def report(arguments: dict) -> None:
    CALLS.append(("report", arguments))


@activity.defn(name="flaky")
async def flaky(arguments: dict) -> dict:
    attempt = activity.info().attempt
    if attempt < 3:
        raise ApplicationError(f"attempt {attempt} fails")
    return {"attempt": attempt}


@activity.defn(name="always_fails")
async def always_fails(arguments: dict) -> None:
    raise ApplicationError("broken", non_retryable=True)


@activity.defn(name="agent")
async def scripted_agent(arguments: dict) -> dict:
    return {"output": {"prompt": arguments["prompt"], "error": arguments["context"]["error"]}, "turns": 1}


def golden(name: str) -> dict:
    return json.loads((GOLDEN_DIR / "graphs" / f"{name}.json").read_text())


def test_activity_sequence_passes_arguments_and_results(temporal_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden("activity_sequence"))
    CALLS.clear()
    result, history, _ = run_async(
        run_workflow(
            temporal_env,
            workflows,
            [check_package_exists, publish_package],
            "activity-sequence",
            {"package": "left-pad"},
        )
    )
    assert result == {"package": "left-pad", "exists": {"code_exists": True}}
    assert CALLS == [
        ("check_package_exists", {"package": "left-pad", "workspace": "/srv/ws"}),
        ("publish_package", {"force": False, "package": "left-pad"}),
    ]
    assert activity_ids(history) == ["check-exists", "publish"]


def test_missing_required_input_fails_the_workflow(temporal_env, run_async, tmp_path):
    from temporalio.client import WorkflowFailureError

    workflows = load_documents(tmp_path, golden("activity_sequence"))
    with pytest.raises(WorkflowFailureError) as failure:
        run_async(run_workflow(temporal_env, workflows, [check_package_exists, publish_package], "activity-sequence"))
    assert "missing required input: package" in str(failure.value.cause)


@pytest.mark.parametrize(("size", "outcome"), [(20, "handled big"), (3, "handled small")])
def test_condition_takes_the_branch_its_expression_picks(temporal_env, run_async, tmp_path, size, outcome):
    workflows = load_documents(tmp_path, golden("condition"))
    result, history, _ = run_async(
        run_workflow(temporal_env, workflows, [handle_size, report], "condition", {"size": size})
    )
    assert result == outcome
    assert activity_ids(history) == ["big" if size > 10 else "small", "report"]


def test_activity_failing_twice_completes_on_attempt_three(temporal_env, run_async, tmp_path):
    graph = document(
        "flaky-retry",
        [
            {"key": "start", "type": "start"},
            {
                "key": "try-it",
                "type": "activity",
                "label": "Flaky",
                "config": {
                    "activity": "flaky",
                    "result_var": "outcome",
                    "retry": {"max_attempts": 3, "initial_interval": 0.1, "backoff_coefficient": 1},
                },
            },
            {"key": "done", "type": "end", "config": {"result": "outcome.attempt"}},
        ],
        [("start", "try-it"), ("try-it", "done")],
    )
    result, history, _ = run_async(run_workflow(temporal_env, load_documents(tmp_path, graph), [flaky], "flaky-retry"))
    assert result == 3
    started = [e for e in history.events if e.HasField("activity_task_started_event_attributes")]
    assert started[0].activity_task_started_event_attributes.attempt == 3


def test_error_edge_runs_the_failure_path(temporal_env, run_async, tmp_path):
    graph = document(
        "error-path",
        [
            {"key": "start", "type": "start"},
            {"key": "deploy", "type": "activity", "config": {"activity": "always_fails"}},
            {"key": "ok", "type": "end", "config": {"result": "'deployed'"}},
            {"key": "recover", "type": "activity", "config": {"activity": "report", "args": {"what": "'failed'"}}},
            {"key": "failed", "type": "end", "config": {"result": "'recovered'"}},
        ],
        [("start", "deploy"), ("deploy", "ok"), ("deploy", "recover", "error"), ("recover", "failed")],
    )
    workflows = load_documents(tmp_path, graph)
    result, history, answers = run_async(
        run_workflow(temporal_env, workflows, [always_fails, report], "error-path", queries=["progress"])
    )
    assert result == "recovered"
    assert activity_ids(history) == ["deploy", "recover"]
    assert answers["progress"]["nodes"] == {"deploy": "failed", "recover": "completed"}


@pytest.mark.parametrize(("succeeds", "expected_ids"), [(True, ["deploy"]), (False, ["deploy", "recover"])])
def test_a_step_with_only_an_error_edge_ends_the_flow_when_it_succeeds(
    succeeds, expected_ids, temporal_env, run_async, tmp_path
):
    activity_name = "handle" if succeeds else "always_fails"
    graph = document(
        "error-only",
        [
            {"key": "start", "type": "start"},
            {"key": "deploy", "type": "activity", "config": {"activity": activity_name, "args": {"kind": "'x'"}}},
            {"key": "recover", "type": "activity", "config": {"activity": "report", "args": {"what": "'failed'"}}},
            {"key": "failed", "type": "end", "config": {"result": "'recovered'"}},
        ],
        [("start", "deploy"), ("deploy", "recover", "error"), ("recover", "failed")],
    )
    workflows = load_documents(tmp_path, graph)
    result, history, _ = run_async(
        run_workflow(temporal_env, workflows, [handle_size, always_fails, report], "error-only")
    )
    assert activity_ids(history) == expected_ids
    assert (result == "recovered") is not succeeds


def test_signal_changes_state_and_query_returns_it(time_skipping_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden("signals_and_queries"))
    seen = {}

    async def interact(handle):
        await handle.signal("pause")
        await handle.signal("newPackages", [{"name": "a", "priority": 1}, {"name": "b", "priority": 1}])
        await handle.signal("newPackages", [{"name": "a", "priority": 5}])
        await handle.signal("done", {"lines": ["built a"]})
        seen["state"] = await handle.query("state")
        seen["progress"] = await handle.query("progress")

    result, _, _ = run_async(run_workflow(time_skipping_env, workflows, [], "signals-and-queries", during=interact))
    assert seen["state"] == {"queue": [], "paused": True, "completed": 1}
    assert seen["progress"] == {"phase": None, "nodes": {"wait": "running"}, "attempts": {}, "items": {}}
    assert result == {"completed": 1, "log": ["started", "paused", "built a"]}


def test_merge_keeps_the_higher_priority_record(time_skipping_env, run_async, tmp_path):
    workflows = load_documents(tmp_path, golden("signals_and_queries"))
    seen = {}

    async def interact(handle):
        await handle.signal("newPackages", [{"name": "a", "priority": 1}, {"name": "b", "priority": 2}])
        await handle.signal("newPackages", [{"name": "a", "priority": 5}, {"name": "b", "priority": 0}])
        seen["state"] = await handle.query("state")

    run_async(run_workflow(time_skipping_env, workflows, [], "signals-and-queries", during=interact))
    assert seen["state"]["queue"] == [{"name": "a", "priority": 5}, {"name": "b", "priority": 2}]


def test_one_hour_timer_completes_instantly_under_time_skipping(time_skipping_env, run_async, tmp_path):
    graph = document(
        "hour-timer",
        [
            {"key": "start", "type": "start"},
            {"key": "wait", "type": "timer", "label": "Wait an hour", "config": {"duration": "3600"}},
            {"key": "done", "type": "end", "config": {"result": "'woke up'"}},
        ],
        [("start", "wait"), ("wait", "done")],
    )
    result, history, _ = run_async(run_workflow(time_skipping_env, load_documents(tmp_path, graph), [], "hour-timer"))
    assert result == "woke up"
    timers = [e.timer_started_event_attributes for e in history.events if e.HasField("timer_started_event_attributes")]
    assert [t.start_to_fire_timeout.ToTimedelta() for t in timers] == [timedelta(hours=1)]


def test_child_workflow_result_flows_back(temporal_env, run_async, tmp_path):
    child = document(
        "child-echo",
        [
            {"key": "start", "type": "start", "config": {"input_fields": [{"name": "package", "type": "str"}]}},
            {"key": "done", "type": "end", "config": {"result": "{'built': input.package}"}},
        ],
        [("start", "done")],
    )
    parent = document(
        "parent",
        [
            {"key": "start", "type": "start"},
            {
                "key": "build",
                "type": "child_workflow",
                "label": "Build",
                "config": {
                    "workflow": "child-echo",
                    "input": "{'package': 'left-pad'}",
                    "workflow_id": "'child-of-test'",
                    "result_var": "build",
                },
            },
            {
                "key": "fire",
                "type": "child_workflow",
                "config": {
                    "workflow": "child-echo",
                    "input": "{'package': 'x'}",
                    "wait": False,
                    "result_var": "fired",
                    "parent_close_policy": "abandon",
                },
            },
            {"key": "done", "type": "end", "config": {"result": "{'build': build, 'fired': fired != None}"}},
        ],
        [("start", "build"), ("build", "fire"), ("fire", "done")],
    )
    workflows = load_documents(tmp_path, parent, child)
    result, _, _ = run_async(run_workflow(temporal_env, workflows, [], "parent"))
    assert result == {"build": {"built": "left-pad"}, "fired": True}


def test_signal_send_reaches_a_running_workflow(time_skipping_env, run_async, tmp_path):
    sender = document(
        "sender",
        [
            {"key": "start", "type": "start", "config": {"input_fields": [{"name": "target", "type": "str"}]}},
            {
                "key": "send",
                "type": "signal_send",
                "config": {"workflow_id": "input.target", "signal": "done", "payload": "{'lines': ['from sender']}"},
            },
        ],
        [("start", "send")],
    )
    workflows = load_documents(tmp_path, golden("signals_and_queries"), sender)

    async def send(handle):
        await time_skipping_env.client.execute_workflow(
            "sender", {"target": handle.id}, id=f"{handle.id}-sender", task_queue=(await handle.describe()).task_queue
        )

    result, _, _ = run_async(run_workflow(time_skipping_env, workflows, [], "signals-and-queries", during=send))
    assert result == {"completed": 1, "log": ["started", "from sender"]}


def test_phases_report_progress_and_agent_output_is_stored(temporal_env, run_async, tmp_path):
    graph = document(
        "phased-agent",
        [
            {"key": "start", "type": "start", "config": {"input_fields": [{"name": "error", "type": "str"}]}},
            {"key": "fixing", "type": "phase", "config": {"name": "FIX"}},
            {
                "key": "fix",
                "type": "agent",
                "parent": "fixing",
                "config": {"prompt": "Fix: $error", "context": {"error": "input.error"}, "output_var": "fix"},
            },
            {"key": "done", "type": "end", "config": {"result": "fix"}},
        ],
        [("start", "fixing"), ("fixing", "done")],
    )
    workflows = load_documents(tmp_path, graph)
    result, history, answers = run_async(
        run_workflow(temporal_env, workflows, [scripted_agent], "phased-agent", {"error": "E1"}, queries=["progress"])
    )
    assert result == {"prompt": "Fix: $error", "error": "E1"}
    assert activity_ids(history) == ["fix"]
    assert answers["progress"] == {
        "phase": None,
        "nodes": {"fixing": "completed", "fix": "completed"},
        "attempts": {},
        "items": {},
    }
