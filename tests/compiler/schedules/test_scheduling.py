"""Tests for the sandbox-safe scheduling helpers used by spawner and dependency_graph nodes."""

import asyncio
import json
import uuid

import pytest
from temporalio import workflow
from temporalio.worker import Worker

from compiler.runtime.scheduling import (
    DependencyCycleError,
    DependencyScheduler,
    UnknownDependencyError,
    dependency_layers,
)
from tests.compiler.makespan import greedy_makespan

PACKAGES = {
    "core": [],
    "utils": ["core"],
    "http": ["core"],
    "api": ["utils", "http"],
    "cli": ["api"],
    "docs": [],
}


def run_all(scheduler: DependencyScheduler, fail: set[str] = frozenset()) -> list[list[str]]:
    """Drive a scheduler to the end in rounds: start what is ready, finish it all."""
    rounds = []
    while ready := scheduler.next_to_start():
        for key in ready:
            scheduler.started(key)
        for key in ready:
            scheduler.finished(key, ok=key not in fail, error="boom" if key in fail else None)
        rounds.append(ready)
    return rounds


def test_layers_put_dependencies_first_and_sort_each_layer():
    assert dependency_layers(PACKAGES) == [["core", "docs"], ["http", "utils"], ["api"], ["cli"]]


def test_layers_of_nothing_is_empty():
    assert dependency_layers({}) == []


def test_cycle_is_named_in_order_starting_at_smallest_key():
    with pytest.raises(DependencyCycleError) as caught:
        dependency_layers({"x": ["b"], "b": ["c"], "c": ["a"], "a": ["b"], "free": []})
    assert caught.value.cycle == ["a", "b", "c", "a"]
    assert str(caught.value) == "dependency cycle: a -> b -> c -> a"


def test_self_dependency_is_a_cycle():
    with pytest.raises(DependencyCycleError, match=r"dependency cycle: a -> a"):
        dependency_layers({"a": ["a"]})


def test_unknown_dependency_names_item_and_missing_key():
    with pytest.raises(UnknownDependencyError) as caught:
        dependency_layers({"api": ["core", "ghost"], "core": []})
    assert (caught.value.item, caught.value.missing) == ("api", "ghost")
    assert "'api' depends on 'ghost'" in str(caught.value)


def test_scheduler_starts_in_dependency_then_priority_order():
    scheduler = DependencyScheduler(PACKAGES, max_concurrency=10)
    assert run_all(scheduler) == [["core", "docs"], ["utils", "http"], ["api"], ["cli"]]
    assert scheduler.done() and not scheduler.deadlocked()


def test_concurrency_cap_limits_starts_and_frees_slots_on_finish():
    scheduler = DependencyScheduler({key: [] for key in "abcde"}, max_concurrency=2)
    assert scheduler.next_to_start() == ["a", "b"]
    scheduler.started("a")
    assert scheduler.next_to_start() == ["b"]
    scheduler.started("b")
    assert scheduler.next_to_start() == []
    scheduler.finished("a", ok=True, result={"built": "a"})
    assert scheduler.next_to_start() == ["c"]
    assert scheduler.report()["a"] == {"status": "completed", "result": {"built": "a"}, "error": None, "reason": None}


def test_set_max_concurrency_changes_free_slots():
    scheduler = DependencyScheduler({key: [] for key in "abcd"}, max_concurrency=1)
    scheduler.set_max_concurrency(3)
    assert scheduler.next_to_start() == ["a", "b", "c"]
    with pytest.raises(ValueError, match="at least 1"):
        scheduler.set_max_concurrency(0)


def test_starting_an_item_with_unmet_dependencies_is_refused():
    scheduler = DependencyScheduler(PACKAGES, max_concurrency=4)
    with pytest.raises(ValueError, match="'api' cannot start"):
        scheduler.started("api")


def test_fail_fast_cancels_pending_and_lets_running_finish():
    scheduler = DependencyScheduler({"a": [], "b": [], "c": [], "d": ["a"]}, max_concurrency=2)
    for key in scheduler.next_to_start():
        scheduler.started(key)
    scheduler.finished("a", ok=False, error="compile error")
    assert scheduler.next_to_start() == []
    assert not scheduler.done()
    scheduler.finished("b", ok=True)
    assert scheduler.done()
    report = scheduler.report()
    assert report["a"]["status"] == "failed" and report["a"]["error"] == "compile error"
    assert report["b"]["status"] == "completed"
    assert report["c"] == {
        "status": "cancelled",
        "result": None,
        "error": None,
        "reason": "not started: a failed (fail_fast)",
    }
    assert scheduler.add_item("late") and scheduler.report()["late"]["status"] == "cancelled"


def test_skip_dependents_skips_every_transitive_dependent():
    scheduler = DependencyScheduler(PACKAGES, max_concurrency=10, on_failure="skip_dependents")
    assert run_all(scheduler, fail={"http"}) == [["core", "docs"], ["utils", "http"]]
    report = scheduler.report()
    assert {key: report[key]["status"] for key in PACKAGES} == {
        "core": "completed",
        "utils": "completed",
        "http": "failed",
        "api": "skipped",
        "cli": "skipped",
        "docs": "completed",
    }
    assert report["cli"]["reason"] == "dependency http failed"
    assert scheduler.done() and not scheduler.deadlocked()


def test_continue_runs_independent_items_and_reports_dependents_blocked():
    scheduler = DependencyScheduler(PACKAGES, max_concurrency=10, on_failure="continue")
    assert run_all(scheduler, fail={"utils"}) == [["core", "docs"], ["utils", "http"]]
    report = scheduler.report()
    assert report["http"]["status"] == "completed"
    assert report["api"] == {"status": "blocked", "result": None, "error": None, "reason": "dependency utils failed"}
    assert report["cli"]["reason"] == "dependency utils failed"
    assert scheduler.blocked() == {"api": ["utils"], "cli": ["api"]}
    assert scheduler.done() and not scheduler.deadlocked()


def test_deadlock_is_detected_for_a_cycle_and_reported_as_blocked():
    scheduler = DependencyScheduler({"a": [], "b": ["c"], "c": ["b"]}, max_concurrency=2)
    run_all(scheduler)
    assert scheduler.deadlocked() and not scheduler.done()
    assert scheduler.blocked() == {"b": ["c"], "c": ["b"]}
    assert scheduler.report()["b"] == {
        "status": "blocked",
        "result": None,
        "error": None,
        "reason": "waiting on c which can never complete",
    }


def test_deadlock_is_not_reported_while_something_runs():
    scheduler = DependencyScheduler({"a": [], "b": ["missing"]}, max_concurrency=2)
    scheduler.started("a")
    assert not scheduler.deadlocked()
    scheduler.finished("a", ok=True)
    assert scheduler.deadlocked()


def test_queued_items_start_by_priority_and_deduplicate_by_key():
    scheduler = DependencyScheduler({}, max_concurrency=1)
    scheduler.add_item("low", priority=1)
    scheduler.add_item("high", priority=5)
    scheduler.add_item("mid", priority=3)
    assert not scheduler.add_item("high", priority=2)
    assert scheduler.add_item("low", priority=9)
    assert scheduler.add_items({"mid": [], "new": []}, priority=0) == ["new"]
    order = []
    while ready := scheduler.next_to_start():
        scheduler.started(ready[0])
        scheduler.finished(ready[0], ok=True)
        order.append(ready[0])
    assert order == ["low", "high", "mid", "new"]


def test_failed_item_can_be_queued_again_but_completed_cannot():
    scheduler = DependencyScheduler({"a": [], "b": []}, max_concurrency=2, on_failure="continue")
    run_all(scheduler, fail={"a"})
    assert scheduler.add_item("a", priority=1)
    assert not scheduler.add_item("b", priority=1)
    assert scheduler.next_to_start() == ["a"]


def test_cancel_pending_and_cancel_running():
    scheduler = DependencyScheduler({"a": [], "b": []}, max_concurrency=1)
    scheduler.started("a")
    assert scheduler.running() == ["a"]
    assert scheduler.cancel_pending("drained") == ["b"]
    scheduler.cancelled("a", "emergency stop")
    assert scheduler.done()
    assert {key: (value["status"], value["reason"]) for key, value in scheduler.report().items()} == {
        "a": ("cancelled", "emergency stop"),
        "b": ("cancelled", "drained"),
    }


def test_unknown_failure_policy_is_rejected():
    with pytest.raises(ValueError, match="on_failure must be one of"):
        DependencyScheduler({}, max_concurrency=1, on_failure="ignore")


def test_state_round_trips_through_json_mid_run():
    scheduler = DependencyScheduler(PACKAGES, max_concurrency=2, on_failure="skip_dependents")
    scheduler.started("core")
    scheduler.finished("core", ok=True, result={"version": "1.0.0"})
    scheduler.started("utils")
    scheduler.add_item("extra", ["core"], priority=7)
    restored = DependencyScheduler.from_state(json.loads(json.dumps(scheduler.to_state())))
    assert restored.to_state() == scheduler.to_state()
    assert restored.report() == scheduler.report()
    assert restored.next_to_start() == ["extra"]
    restored.finished("utils", ok=False, error="tests failed")
    assert restored.report()["api"]["status"] == "skipped"


def test_greedy_makespan_follows_list_scheduling():
    # Two slots: a(3) and b(1) start; b ends at 1 so c(2) starts (ends 3);
    # a ends at 3 so d (needs a and c) starts at 3 and ends at 7.
    items = {"a": [], "b": [], "c": ["b"], "d": ["a", "c"]}
    durations = {"a": 3.0, "b": 1.0, "c": 2.0, "d": 4.0}
    assert greedy_makespan(items, durations, max_concurrency=2) == 7.0
    assert greedy_makespan(items, durations, max_concurrency=1) == 10.0


def test_greedy_makespan_of_independent_items_is_bounded_by_the_slots():
    durations = {f"p{i}": 1.0 for i in range(8)}
    items = {key: [] for key in durations}
    assert greedy_makespan(items, durations, max_concurrency=3) == 3.0
    assert greedy_makespan(items, durations, max_concurrency=8) == 1.0


def test_greedy_makespan_rejects_cycles_and_missing_durations():
    with pytest.raises(DependencyCycleError):
        greedy_makespan({"a": ["b"], "b": ["a"]}, {"a": 1, "b": 1}, 1)
    with pytest.raises(ValueError, match="no duration for b"):
        greedy_makespan({"a": [], "b": []}, {"a": 1}, 1)


@workflow.defn(name="test-scheduled-sleeps")
class ScheduledSleeps:
    """Spawner-shaped loop inside the workflow sandbox: each item is a durable timer."""

    @workflow.run
    async def run(self, input: dict) -> dict:
        # Temporal's JSON converter sorts dict keys, so priority order travels as a list of pairs.
        scheduler = DependencyScheduler(dict(input["items"]), input["max_concurrency"])
        began = workflow.now()
        running: dict[str, asyncio.Task] = {}
        starts = []
        while not scheduler.done():
            for key in scheduler.next_to_start():
                scheduler.started(key)
                starts.append(key)
                running[key] = asyncio.create_task(workflow.sleep(input["durations"][key]))
            finished, _ = await workflow.wait(running.values(), return_when=asyncio.FIRST_COMPLETED)
            for key in [key for key, task in running.items() if task in finished]:
                scheduler.finished(key, ok=True)
                del running[key]
        return {"makespan": (workflow.now() - began).total_seconds(), "starts": starts}


async def _run_scheduled_sleeps(env, arguments: dict) -> dict:
    queue = f"scheduling-{uuid.uuid4()}"
    async with Worker(env.client, task_queue=queue, workflows=[ScheduledSleeps]):
        return await env.client.execute_workflow(
            "test-scheduled-sleeps", arguments, id=f"scheduling-{uuid.uuid4()}", task_queue=queue
        )


@pytest.mark.temporal
def test_scheduler_runs_in_the_workflow_sandbox_with_the_greedy_makespan(time_skipping_env, run_async):
    durations = {"core": 60.0, "docs": 600.0, "utils": 120.0, "http": 180.0, "api": 60.0, "cli": 30.0}
    arguments = {"items": list(PACKAGES.items()), "durations": durations, "max_concurrency": 2}
    result = run_async(_run_scheduled_sleeps(time_skipping_env, arguments))
    assert result["starts"] == ["core", "docs", "utils", "http", "api", "cli"]
    assert greedy_makespan(PACKAGES, durations, 2) == 600.0
    # Timers are skipped, but workflow tasks still take a little real time.
    assert result["makespan"] == pytest.approx(600.0, abs=2)
