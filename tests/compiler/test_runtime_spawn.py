"""compiler.runtime.spawn without a server: children are plain asyncio futures with an id."""

from __future__ import annotations

import asyncio

import pytest
from temporalio.exceptions import ApplicationError, CancelledError, ChildWorkflowError, RetryState

from compiler.runtime.progress import Progress
from compiler.runtime.spawn import Spawn, dependency_order


class Child(asyncio.Future):
    """Stands in for a ChildWorkflowHandle (an asyncio task with an id)."""

    def __init__(self, loop, child_id: str) -> None:
        super().__init__(loop=loop)
        self.id = child_id


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def child_failure(message: str) -> ChildWorkflowError:
    error = ChildWorkflowError(
        "Child Workflow execution failed",
        namespace="default",
        workflow_id="child",
        run_id="run",
        workflow_type="package-build",
        initiated_event_id=1,
        started_event_id=2,
        retry_state=RetryState.NON_RETRYABLE_FAILURE,
    )
    error.__cause__ = ApplicationError(message)
    return error


def spawn(items: dict[str, list[str]], limit: int = 2, on_failure: str = "skip_dependents") -> Spawn:
    running = Spawn("builds", on_failure, Progress(["builds"]), max_concurrency=lambda: limit)
    for key, deps in items.items():
        running.add(key, {"name": key}, deps)
    running.check_dependencies()
    return running


def start_ready(running: Spawn, loop) -> dict[str, Child]:
    children = {}
    for key, _ in running.ready():
        children[key] = Child(loop, f"child-{key}")
        running.start(key, children[key])
    return children


def test_ready_respects_dependencies_and_the_limit(loop):
    running = spawn({"a": [], "b": [], "c": [], "d": ["a"]}, limit=2)

    first = start_ready(running, loop)
    first["a"].set_result({"ok": 1})
    assert running.finished() == [({"name": "a"}, {"ok": 1}, "completed", None)]

    assert list(first) == ["a", "b"]
    assert [key for key, _ in running.ready()] == ["c"]
    assert running.order == ["a", "b"]


def test_limit_is_evaluated_each_time_and_zero_starts_nothing(loop):
    limit = {"value": 0}
    running = Spawn("builds", "continue", Progress([]), max_concurrency=lambda: limit["value"])
    running.add("a", {}, [])

    assert running.ready() == []
    limit["value"] = 1
    assert running.ready() == [("a", {})]


def test_a_bad_limit_fails_with_the_node_and_the_value():
    running = Spawn("builds", "continue", Progress([]), max_concurrency=lambda: "four")
    running.add("a", {}, [])

    with pytest.raises(ApplicationError, match="spawner builds: max_concurrency must be a whole number.*'four'"):
        running.ready()


def test_failed_and_cancelled_children_are_told_apart(loop):
    running = spawn({"a": [], "b": [], "c": ["a"]}, limit=2, on_failure="skip_dependents")
    children = start_ready(running, loop)
    children["a"].set_exception(child_failure("tests failed"))
    cancelled = child_failure("ignored")
    cancelled.__cause__ = CancelledError("Cancelled")
    children["b"].set_exception(cancelled)

    outcomes = running.finished()

    assert [(item["name"], status) for item, _, status, _ in outcomes] == [("a", "failed"), ("b", "cancelled")]
    assert outcomes[0][3] == "Child Workflow execution failed: tests failed"
    report = running.report()
    assert report["c"] == {"status": "skipped", "result": None, "error": None, "reason": "dependency a failed"}


def test_fail_fast_cancels_the_others_and_raises_after_the_round(loop):
    running = spawn({"a": [], "b": [], "c": []}, limit=2, on_failure="fail_fast")
    children = start_ready(running, loop)
    children["a"].set_exception(child_failure("broke"))

    running.finished()

    assert children["b"].cancelled()
    assert running.ready() == []
    running.finished()
    assert {key: entry["status"] for key, entry in running.report().items()} == {
        "a": "failed",
        "b": "cancelled",
        "c": "cancelled",
    }
    with pytest.raises(ApplicationError, match="spawner builds: child a failed: .*broke"):
        running.raise_if_failed()


def test_duplicate_keys_and_cycles_fail_with_names():
    running = Spawn("builds", "continue", Progress([]), max_concurrency=lambda: 1)
    running.add("a", {}, [])
    with pytest.raises(ApplicationError, match="two items have the key 'a'"):
        running.add("a", {}, [])

    cyclic = Spawn("builds", "continue", Progress([]), max_concurrency=lambda: 1)
    for key, deps in {"x": ["y"], "y": ["x"], "z": ["missing"]}.items():
        cyclic.add(key, {}, deps)
    with pytest.raises(ApplicationError, match="dependency cycle: x -> y -> x"):
        cyclic.check_dependencies()


def test_progress_shows_each_item_status(loop):
    progress = Progress(["builds"])
    running = Spawn("builds", "continue", progress, max_concurrency=lambda: 1)
    running.add("a", {}, [])
    running.add("b", {}, [])
    start_ready(running, loop)

    assert progress.snapshot()["items"] == {"builds": {"a": "running", "b": "pending"}}


def test_take_removes_by_priority_drops_duplicates_and_keeps_waiting_items(loop):
    running = Spawn("builds", "continue", Progress([]), max_concurrency=lambda: 2)
    queue = [{"name": "low", "priority": 1}, {"name": "high", "priority": 5}, {"name": "mid", "priority": 3}]

    taken = running.take(queue, key=lambda item: item["name"])
    for key, _ in taken:
        running.start(key, Child(loop, key))

    assert [key for key, _ in taken] == ["high", "mid"]
    assert queue == [{"name": "low", "priority": 1}]
    assert not running.changed(queue)
    queue.append({"name": "high", "priority": 9})
    assert running.changed(queue)
    assert running.take(queue, key=lambda item: item["name"]) == []
    assert [item["name"] for item in queue] == ["low", "high"]


def test_take_stops_when_continue_as_new_is_suggested_and_when_dependencies_are_pending(loop):
    running = Spawn("builds", "continue", Progress([]), max_concurrency=lambda: 3)
    queue = [{"name": "app", "deps": ["lib"]}, {"name": "lib", "deps": []}]
    deps = {"key": lambda item: item["name"], "depends_on": lambda item: item["deps"]}

    assert running.take(queue, stop=True, **deps) == []
    assert not running.changed(queue), "a stopped take must still note the limit, or the wait never sleeps"
    assert [key for key, _ in running.take(queue, **deps)] == ["lib"]
    assert queue == [{"name": "app", "deps": ["lib"]}]


def test_on_complete_tasks_keep_the_round_open_and_do_not_hold_up_other_children(loop):
    """A long on_complete (a back-off) runs beside the next child's; the round ends when both are done."""
    running = spawn({"a": [], "b": []})
    children = start_ready(running, loop)
    released = loop.create_future()
    handled: list[str] = []

    async def on_complete(item, result, child_status, error):
        if item["name"] == "a":
            await released  # a's steps wait, as a back-off timer would
        handled.append(item["name"])

    def hand_over():
        for key, item, result, status, error in running.finished(completing=True):
            running.complete(key, on_complete(item, result, status, error))

    async def scenario():
        children["a"].set_result("built a")
        hand_over()
        children["b"].set_result("built b")
        hand_over()
        await asyncio.sleep(0)
        assert handled == ["b"] and running.running(), "b's steps ran while a's still wait; the round goes on"
        hand_over()
        assert running.report()["a"]["status"] == "running" and running.report()["b"]["status"] == "completed"
        released.set_result(None)
        await asyncio.sleep(0)
        assert running.has_finished()
        assert running.finished(completing=True) == [] and not running.running()

    loop.run_until_complete(scenario())
    assert handled == ["b", "a"]
    assert {key: entry["status"] for key, entry in running.report().items()} == {"a": "completed", "b": "completed"}


def test_a_dependent_and_a_new_start_wait_for_the_on_complete_steps(loop):
    """Until its steps are done a child keeps its slot, and its dependents do not start."""
    running = spawn({"lib": [], "app": ["lib"], "other": []}, limit=1)
    children = start_ready(running, loop)
    assert list(children) == ["lib"]
    released = loop.create_future()

    async def on_complete(item, result, child_status, error):
        await released

    async def scenario():
        children["lib"].set_result("built")
        for key, *outcome in running.finished(completing=True):
            running.complete(key, on_complete(*outcome))
        assert running.ready() == []  # the slot is still lib's, and app waits for lib's steps
        released.set_result(None)
        await asyncio.sleep(0)
        running.finished(completing=True)
        assert [key for key, _ in running.ready()] == ["app"]

    loop.run_until_complete(scenario())


def test_a_failed_on_complete_task_fails_the_spawner_and_cancels_the_others(loop):
    running = spawn({"a": [], "b": []})
    children = start_ready(running, loop)

    async def slow(item, result, child_status, error):
        await asyncio.sleep(3600)

    async def broken(item, result, child_status, error):
        raise ApplicationError("cannot record a")

    async def scenario():
        children["a"].set_result("a")
        children["b"].set_result("b")
        (first, second) = running.finished(completing=True)
        running.complete(second[0], slow(*second[1:]))
        running.complete(first[0], broken(*first[1:]))
        await asyncio.sleep(0)
        with pytest.raises(ApplicationError, match="cannot record a"):
            running.finished(completing=True)
        await asyncio.sleep(0)
        assert all(task.cancelled() for task in running.running())

    loop.run_until_complete(scenario())


def test_take_reports_an_item_waiting_on_a_key_nobody_queued_as_blocked(loop):
    """Kept in the queue it could never start, and a loop waiting for a non-empty queue would spin."""
    running = Spawn("builds", "continue", Progress([]), max_concurrency=lambda: 3)
    queue = [{"name": "lib", "deps": []}, {"name": "app", "deps": ["lib"]}, {"name": "orphan", "deps": ["ghost"]}]
    deps = {"key": lambda item: item["name"], "depends_on": lambda item: item["deps"]}

    assert [key for key, _ in running.take(queue, **deps)] == ["lib"]
    assert queue == [{"name": "app", "deps": ["lib"]}]  # app waits for lib, which runs; orphan left
    lib = Child(loop, "child-lib")
    running.start("lib", lib)
    lib.set_result("built")
    running.finished()
    assert [key for key, _ in running.take(queue, **deps)] == ["app"]
    assert running.report()["orphan"]["reason"] is None  # app still runs: not yet a deadlock
    app = Child(loop, "child-app")
    running.start("app", app)
    app.set_result("built")
    running.finished()
    assert running.report()["orphan"] == {
        "status": "blocked",
        "result": None,
        "error": None,
        "reason": "waiting on ghost which can never complete",
    }


def test_dependency_order_layers_or_names_the_problem():
    assert dependency_order({"b": ["a"], "a": None, 3: []}) == [["3", "a"], ["b"]]
    with pytest.raises(ApplicationError, match="dependency cycle: a -> b -> a"):
        dependency_order({"a": ["b"], "b": ["a"]})
    with pytest.raises(ApplicationError, match="'a' depends on 'ghost'"):
        dependency_order({"a": ["ghost"]})
