"""A spawner's runs stay short: it continues as new with the items left (issue 16 item 3).

benchmarks/spawner_5000.py runs 5,000 items with the default threshold;
this runs 60 items, five at a time, with a threshold of 60 events, so the
workflow continues as new several times. Each child id starts once over
all the runs, each run stops near its threshold (the children still open
finish first), and the final result reports every item completed. A step
before the spawner runs in the first run only.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from benchmarks.spawner_5000 import compiled_workflows, documents, run_chain
from compiler.runtime.loop import CARRIED_SPAWN, resumes_at
from compiler.runtime.progress import Progress
from compiler.runtime.spawn import Spawn
from tests.compiler.execution import load_documents
from tests.compiler.test_runtime_spawn import child_failure, start_ready

ITEMS = 60
WINDOW = 5
THRESHOLD = 60
# Past the threshold: the children the task that crossed it started (initiated, started), each open
# child's completion with its own workflow task at worst, then continue-as-new.
DRAIN_EVENTS = 6 * WINDOW + 10


@pytest.mark.temporal
def test_a_spawner_continues_as_new_and_runs_every_item_once(temporal_env, run_async, tmp_path):
    names = [f"item-{index}" for index in range(ITEMS)]
    workflows = compiled_workflows(tmp_path, continue_as_new_events=THRESHOLD)

    chain = run_async(run_chain(temporal_env, workflows, "spawner-5000", {"items": names, "window": WINDOW}))

    assert chain.runs >= 3, chain.events
    assert sorted(chain.children) == sorted(f"{child_prefix(chain)}{name}" for name in names)
    assert max(chain.events) <= THRESHOLD + DRAIN_EVENTS, chain.events
    assert {key: entry["status"] for key, entry in chain.result.items()} == dict.fromkeys(names, "completed")
    assert chain.result["item-7"]["result"] == {"name": "item-7"}


def child_prefix(chain) -> str:
    """`<parent workflow id>-batch-`: the default child id, the same in every run of the chain."""
    return chain.children[0].rsplit("-batch-", 1)[0] + "-batch-"


@pytest.mark.temporal
def test_the_steps_before_the_spawner_run_once(temporal_env, run_async, tmp_path):
    """A counter set before the spawner: the runs that resume the spawner skip it, its value is carried."""
    parent, child = documents(continue_as_new_events=THRESHOLD)
    parent["nodes"].insert(
        1, {"key": "before", "type": "state", "config": {"name": "before", "type": "int", "initial": 0}}
    )
    parent["nodes"].insert(2, {"key": "count", "type": "assign", "config": {"values": {"before": "before + 1"}}})
    parent["nodes"][-1]["config"]["result"] = "{'before': before, 'items': len(outcome)}"
    parent["edges"][0] = {"source": "start", "target": "count", "kind": "next"}
    parent["edges"].append({"source": "count", "target": "batch", "kind": "next"})
    workflows = load_documents(tmp_path, parent, child)
    names = [f"item-{index}" for index in range(30)]

    chain = run_async(run_chain(temporal_env, workflows, "spawner-5000", {"items": names, "window": WINDOW}))

    assert chain.runs >= 2, chain.events
    assert chain.result == {"before": 1, "items": 30}


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_a_resumed_spawner_goes_on_where_the_carried_one_stopped(loop):
    """Without a server: `to_state()` through JSON into the next run's input, `resume()` takes it back."""
    progress = Progress(["before", "batch"])
    progress.nodes["before"] = "completed"
    first = Spawn("batch", "skip_dependents", progress, max_concurrency=lambda: 2)
    for key, deps in {"a": [], "b": ["a"], "c": ["b"], "x": [], "y": ["x"]}.items():
        first.add(key, {"name": key}, deps)
    children = start_ready(first, loop)
    children["a"].set_result("built a")
    children["x"].set_exception(child_failure("x broke"))
    loop.run_until_complete(asyncio.wait(list(children.values())))
    first.finished()
    carried = json.loads(json.dumps({"items": [], CARRIED_SPAWN: first.to_state()}))

    assert sorted(carried[CARRIED_SPAWN]["items"]) == ["b", "c"]  # the ones that ran are not carried
    assert resumes_at(carried, "batch") and not resumes_at(carried, "other")
    fresh = Progress(["before", "batch"])
    other = Spawn("other", "skip_dependents", fresh, max_concurrency=lambda: 2)
    assert not other.resume(carried) and CARRIED_SPAWN in carried
    second = Spawn("batch", "skip_dependents", fresh, max_concurrency=lambda: 2)
    assert second.resume(carried) and CARRIED_SPAWN not in carried
    assert fresh.nodes["before"] == "completed"
    assert second.ready() == [("b", {"name": "b"})]
    report = second.report()
    assert report["a"] == {"status": "completed", "result": "built a", "error": None, "reason": None}
    assert report["x"]["status"] == "failed" and report["y"]["status"] == "skipped"
