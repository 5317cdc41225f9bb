"""DependencyScheduler's per-event bookkeeping agrees with the definitions, checked by scanning.

The scheduler keeps in-degree counters, a ready heap and a count of doomed
items (issue 16) instead of scanning every item per event. Here random
sequences of adds, retries, priority changes, starts, finishes,
cancellations and continue-as-new round trips are checked after every step
against answers computed from the items alone, the way the docstrings
define them.
"""

from __future__ import annotations

import json
import random

import pytest

from compiler.runtime.scheduling import ITEM_DEFAULTS, STOPPED, DependencyScheduler


def waits_on_stopped(items: dict, key: str) -> bool:
    """Whether `key` waits, through known items, on one that is failed, skipped or cancelled."""
    seen, stack = {key}, [key]
    while stack:
        for dep in items[stack.pop()]["depends_on"]:
            if dep in items and dep not in seen:
                if items[dep]["status"] in STOPPED:
                    return True
                seen.add(dep)
                stack.append(dep)
    return False


def expected(scheduler: DependencyScheduler) -> dict:
    state = scheduler.to_state()
    items = {key: {**ITEM_DEFAULTS, **item} for key, item in state["items"].items()}  # defaults are left out
    pending = [key for key, item in items.items() if item["status"] == "pending"]
    running = [key for key, item in items.items() if item["status"] == "running"]
    completed = {key for key, item in items.items() if item["status"] == "completed"}
    unmet = {key: [dep for dep in items[key]["depends_on"] if dep not in completed] for key in pending}
    ready = sorted((key for key in pending if not unmet[key]), key=lambda k: (-items[k]["priority"], items[k]["seq"]))
    free = state["max_concurrency"] - len(running)
    next_to_start = [] if state["halted_by"] or free <= 0 else ready[:free]
    done = not running and all(waits_on_stopped(items, key) for key in pending)
    blocked = {key for key in pending if waits_on_stopped(items, key)}
    deadlocked = not running and not next_to_start and not done
    if deadlocked:
        blocked = set(pending)
    return {
        "next_to_start": next_to_start,
        "done": done,
        "deadlocked": deadlocked,
        "running": running,
        "blocked": {key: deps for key, deps in unmet.items() if deps},
        "statuses": {key: "blocked" if key in blocked else item["status"] for key, item in items.items()},
    }


def answers(scheduler: DependencyScheduler) -> dict:
    return {
        "next_to_start": scheduler.next_to_start(),
        "done": scheduler.done(),
        "deadlocked": scheduler.deadlocked(),
        "running": scheduler.running(),
        "blocked": scheduler.blocked(),
        "statuses": {key: entry["status"] for key, entry in scheduler.report().items()},
    }


def random_step(rng: random.Random, scheduler: DependencyScheduler, keys: list[str]) -> None:
    choice = rng.random()
    if choice < 0.3 and scheduler.next_to_start():
        scheduler.started(rng.choice(scheduler.next_to_start()))
    elif choice < 0.6 and scheduler.running():
        scheduler.finished(rng.choice(scheduler.running()), ok=rng.random() < 0.7, error="boom")
    elif choice < 0.7 and scheduler.running():
        scheduler.cancelled(rng.choice(scheduler.running()))
    elif choice < 0.98:
        scheduler.add_item(rng.choice(keys), rng.sample(keys, rng.randint(0, 2)), rng.randint(0, 3))
    else:
        scheduler.cancel_pending("drained")


@pytest.mark.parametrize("on_failure", ["fail_fast", "continue", "skip_dependents"])
def test_answers_match_a_scan_of_the_items_after_every_event(on_failure):
    rng = random.Random(f"issue-16-{on_failure}")
    for _ in range(120):
        keys = [f"k{index}" for index in range(rng.randint(2, 10))]
        items = {key: rng.sample(keys, rng.randint(0, 2)) for key in keys[: rng.randint(0, len(keys))]}
        scheduler = DependencyScheduler(items, rng.randint(1, 4), on_failure)
        for _ in range(30):
            assert answers(scheduler) == expected(scheduler)
            restored = DependencyScheduler.from_state(json.loads(json.dumps(scheduler.to_state())))
            assert answers(restored) == answers(scheduler)
            random_step(rng, scheduler, keys)


def test_a_retried_failure_frees_its_dependents_even_in_a_cycle():
    """Doomed items in a cycle would keep each other doomed if counts were only decremented."""
    scheduler = DependencyScheduler({"lib": []}, max_concurrency=2, on_failure="continue")
    scheduler.add_items({"a": ["lib", "b"], "b": ["a"]})
    scheduler.started("lib")
    scheduler.finished("lib", ok=False, error="boom")
    assert scheduler.done() and scheduler.report()["b"]["reason"] == "dependency lib failed"

    scheduler.add_item("lib", [], priority=1)

    assert not scheduler.done() and scheduler.next_to_start() == ["lib"]
    scheduler.started("lib")
    scheduler.finished("lib", ok=True)
    assert scheduler.deadlocked() and scheduler.blocked() == {"a": ["b"], "b": ["a"]}
