"""The dependency view of a spawner over 5,000 items stays drawable and fast (issue 16 item 5).

Built from a hand-made RunDetail (what describe_run reads from a history):
5,000 packages with random dependencies, one child each. Wide layers
collapse into a "+ N more" box, the timeline draws the first rows, the
items table pages, and the view and both drawings take well under a second
of CPU (a page of the old view matched every child against every key).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from compiler.ir import Graph, IRNode
from compiler.runs.dependencies import dependency_view
from compiler.runs.history import RunDetail, Step
from workflows.runs.dependency_views import TIMELINE_ROWS, WIDEST_LAYER, dag_drawing, timeline_drawing

ITEMS = 5_000
T0 = datetime(2026, 12, 3, tzinfo=UTC)


def big_run() -> tuple[RunDetail, Graph]:
    rng = random.Random(16)
    packages = [
        {
            "name": f"pkg-{index}",
            "deps": [f"pkg-{dep}" for dep in rng.sample(range(index), min(index, rng.randint(0, 2)))],
        }
        for index in range(ITEMS)
    ]
    config = {"items": "input.packages", "item_key": "item.name", "depends_on": "item.deps", "workflow": "build"}
    graph = Graph(identifier="builder", nodes=(IRNode("builds", "spawner", "Build", config),))
    detail = RunDetail("run-1", "r", "builder", "completed", T0, T0 + timedelta(hours=1), "")
    detail.input = {"packages": packages}
    detail.statuses = {"builds": {"status": "completed"}}
    detail.items = {"builds": {package["name"]: "completed" for package in packages}}
    detail.steps = [
        Step(
            "builds",
            "child_workflow",
            f"build (run-1-builds-{p['name']})",
            T0 + timedelta(seconds=i),
            None,
            "completed",
        )
        for i, p in enumerate(packages)
    ]
    for step in detail.steps:
        step.close = step.start + timedelta(seconds=30)
    return detail, graph


def test_five_thousand_items_are_matched_layered_and_drawn_in_well_under_a_second():
    detail, graph = big_run()

    began = time.process_time()
    view = dependency_view(detail, graph, "builds")
    dag, timeline = dag_drawing(view), timeline_drawing(view)
    seconds = time.process_time() - began

    assert len(view.items) == ITEMS and all(len(item.children) == 1 for item in view.items)
    assert not view.unmatched
    assert seconds < 1.0, f"the view and its drawings took {seconds:.2f} s of CPU"
    rows_per_layer: dict[int, int] = {}
    for node in dag["nodes"]:
        rows_per_layer[node["y"]] = rows_per_layer.get(node["y"], 0) + 1
    assert max(rows_per_layer.values()) <= WIDEST_LAYER
    more = [node for node in dag["nodes"] if node["status"] == "collapsed"]
    widest = max(view.layers, key=len)
    assert any(node["label"] == f"+ {len(widest) - WIDEST_LAYER + 1} more" for node in more)
    assert f"{len(widest) - WIDEST_LAYER + 1} completed" in " ".join(node["note"] for node in more)
    assert len(timeline["rows"]) == TIMELINE_ROWS and timeline["more_rows"] == ITEMS - TIMELINE_ROWS


def test_a_narrow_layer_is_drawn_item_by_item():
    detail, graph = big_run()
    view = dependency_view(detail, graph, "builds")
    view.items, view.layers = view.items[:3], [[item.key for item in view.items[:3]]]

    dag = dag_drawing(view)

    assert [node["key"] for node in dag["nodes"]] == [item.key for item in view.items]
