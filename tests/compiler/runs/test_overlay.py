"""compiler.runs.overlay: the path taken, one status per container and attempt counts, from statuses alone."""

from __future__ import annotations

from datetime import UTC, datetime

from compiler.ir import Graph, IREdge, IRNode
from compiler.runs.history import Step
from compiler.runs.overlay import attempt_counts, run_statuses, taken_edges

AT = datetime(2026, 1, 1, tzinfo=UTC)


def graph(*nodes: IRNode, edges: tuple[tuple[str, str, str], ...] = ()) -> Graph:
    return Graph("g", nodes=nodes, edges=tuple(IREdge(source, target, kind) for source, kind, target in edges))


def node(key: str, type: str = "activity", parent: str | None = None, slot: str = "body", **config) -> IRNode:
    return IRNode(key, type, key.title(), config, parent, slot)


def done(*keys: str, status: str = "completed") -> dict:
    return {key: {"status": status, "attempt": 1} for key in keys}


def statuses_of(result: dict) -> dict[str, str]:
    return {key: value["status"] for key, value in result.items()}


BRANCHING = graph(
    node("start", "start"),
    node("check"),
    node("ok", "condition"),
    node("ship"),
    node("shipped", "end"),
    node("give-up", "end"),
    edges=(
        ("start", "next", "check"),
        ("check", "next", "ok"),
        ("ok", "true", "ship"),
        ("ok", "false", "give-up"),
        ("ship", "next", "shipped"),
    ),
)


def test_a_condition_whose_branch_ran_is_completed_and_so_is_the_end_after_that_branch():
    result = run_statuses(BRANCHING, done("start", "check", "ship"), run_status="completed", steps_by_key={})

    assert statuses_of(result) == dict.fromkeys(["start", "check", "ship", "ok", "shipped"], "completed")
    taken = {edge.name for edge in taken_edges(BRANCHING, result, run_status="completed")}
    assert taken == {"start -next-> check", "check -next-> ok", "ok -true-> ship", "ship -next-> shipped"}


def test_a_completed_run_with_no_step_after_the_condition_ended_at_the_branch_that_is_an_end():
    result = run_statuses(BRANCHING, done("start", "check"), run_status="completed", steps_by_key={})

    assert statuses_of(result)["give-up"] == "completed" and "shipped" not in result


def test_an_open_run_has_reached_no_end_yet():
    result = run_statuses(BRANCHING, done("start", "check"), run_status="running", steps_by_key={})

    assert statuses_of(result)["ok"] == "completed", "the step before it completed: it was evaluated"
    assert "give-up" not in result and "shipped" not in result


RETRYING = graph(
    node("build", "phase"),
    node("compile", parent="build"),
    node("tests-retry", "retry_block", parent="build"),
    node("tests", parent="tests-retry"),
    node("fix", parent="tests-retry", slot="remediation"),
    node("quality-retry", "retry_block", parent="build"),
    node("quality", parent="quality-retry"),
    node("report", parent="build"),
    edges=(
        ("compile", "next", "tests-retry"),
        ("tests-retry", "next", "quality-retry"),
        ("tests-retry", "error", "report"),
        ("quality-retry", "next", "report"),
    ),
)


def test_a_container_gets_one_status_from_its_children_never_skipped_around_a_completed_step():
    # The progress query (by replay) called the blocks skipped and the phase completed; the steps say otherwise.
    known = {**done("compile", "tests", "fix", "quality", "report"), **done("tests-retry", status="skipped")}

    result = run_statuses(RETRYING, known, run_status="completed", steps_by_key={})

    assert statuses_of(result)["tests-retry"] == "completed"
    assert statuses_of(result)["quality-retry"] == "completed"
    assert statuses_of(result)["build"] == "completed"


def test_a_retry_block_that_gave_up_failed_and_its_error_edge_handled_it():
    known = {**done("compile", "fix", "report"), **done("tests", status="failed")}

    result = run_statuses(RETRYING, known, run_status="completed", steps_by_key={})

    assert statuses_of(result)["tests-retry"] == "failed"
    assert statuses_of(result)["build"] == "completed", "the block's failure took its error edge"
    assert "quality-retry" not in result
    taken = {edge.name for edge in taken_edges(RETRYING, result, run_status="completed")}
    assert "tests-retry -error-> report" in taken and "tests-retry -next-> quality-retry" not in taken


def test_a_container_of_an_open_run_runs_while_a_child_runs_or_has_not_started():
    running = run_statuses(
        RETRYING, {**done("compile"), **done("tests", status="retrying")}, run_status="running", steps_by_key={}
    )
    between = run_statuses(RETRYING, done("compile", "tests"), run_status="running", steps_by_key={})

    assert statuses_of(running)["tests-retry"] == "running" and statuses_of(running)["build"] == "running"
    assert statuses_of(between)["build"] == "running", "quality and report are still to come"


def test_a_container_none_of_whose_children_ran_keeps_what_the_progress_query_said():
    result = run_statuses(RETRYING, done("build", status="skipped"), run_status="completed", steps_by_key={})

    assert statuses_of(result) == {"build": "skipped"}


def child(status: str) -> Step:
    return Step("spawn", "child_workflow", "build (x)", AT, AT, status)


SPAWNING = graph(
    node("spawn", "spawner", on_failure="skip_dependents"), node("fast", "spawner", on_failure="fail_fast")
)


def test_a_spawner_whose_child_failed_completed_unless_it_fails_fast():
    steps = {"spawn": [child("completed"), child("failed")], "fast": [child("completed"), child("failed")]}

    result = run_statuses(SPAWNING, done("spawn", "fast", status="failed"), run_status="completed", steps_by_key=steps)
    queried = run_statuses(
        SPAWNING, done("spawn", status="failed"), run_status="completed", steps_by_key=steps, queried={"spawn"}
    )

    assert statuses_of(result) == {"spawn": "completed", "fast": "failed"}
    assert statuses_of(queried)["spawn"] == "failed", "the progress query's answer stands"


def test_attempts_count_a_retry_blocks_executions_and_temporals_retries():
    def activity(key: str, attempts: int = 1, status: str = "completed") -> Step:
        return Step(key, "activity", key, AT, AT, status, attempts)

    steps = {
        "tests": [activity("tests", status="failed"), activity("tests", status="failed"), activity("tests")],
        "fix": [activity("fix"), activity("fix")],  # remediation runs between attempts: not an attempt
        "compile": [activity("compile", attempts=4)],  # Temporal retried it
        "report": [activity("report")],
        "tests-retry": [Step("tests-retry", "backoff", "Back off", AT, AT, "completed")],
    }

    assert attempt_counts(RETRYING, steps) == {"tests": 3, "tests-retry": 3, "compile": 4}


def test_an_assignment_leaves_no_event_but_ran_when_the_flow_went_past_it():
    assigning = graph(
        node("init", "phase"),
        node("choose", "assign", parent="init"),
        node("discover", parent="init"),
        node("note", "assign", parent="init"),
        node("later", "assign"),
        edges=(("choose", "next", "discover"), ("discover", "next", "note"), ("init", "next", "later")),
    )

    result = run_statuses(assigning, done("discover"), run_status="running", steps_by_key={})

    assert statuses_of(result)["choose"] == "completed", "the first of a phase that ran, before a step that ran"
    assert "note" not in result and "later" not in result, "nothing after them ran yet"
    after = run_statuses(assigning, done("discover", "later"), run_status="running", steps_by_key={})
    assert statuses_of(after)["note"] == "completed", "the last of its phase: the flow went on after the phase"


def test_a_loop_whose_body_never_ran_keeps_it_unreached():
    looping = graph(node("wait", "loop"), node("tick", "assign", parent="wait"))

    from_history = run_statuses(looping, done("wait"), run_status="completed", steps_by_key={})
    from_query = run_statuses(
        looping, {**done("wait"), **done("tick", status="skipped")}, run_status="completed", steps_by_key={}
    )

    assert "tick" not in from_history and statuses_of(from_query)["tick"] == "skipped"
