"""The package-builder over a generated workspace continues as new and builds each package once (issue 16 item 3).

benchmarks/spawner_packages.py builds 2,000 generated packages with the
default threshold; this builds 16 with the BUILD spawner's threshold at 50
events, so the package-builder (its spawner inside the BUILD phase, with
on_complete steps) continues as new several times. The new runs skip
INITIALIZE and PLAN, every package is built once in dependency order, and
the build report, written by the last run, counts them all.
"""

from __future__ import annotations

import pytest

from benchmarks.package_workspace import dependencies, write_workspace
from benchmarks.spawner_packages import build, builder_workflows
from tests.examples.seeded import project_workspace

pytestmark = pytest.mark.temporal

PACKAGES = 16
WINDOW = 4
THRESHOLD = 50
# Past the threshold: per open child its completion, its on_complete activity and their workflow tasks.
DRAIN_EVENTS = 12 * WINDOW + 20


def test_the_package_builder_continues_as_new_and_builds_each_package_once(temporal_env, run_async, tmp_path):
    workspace = project_workspace(tmp_path)
    graph = write_workspace(workspace, PACKAGES)
    assert graph == dependencies(PACKAGES)  # the same seed, the same workspace
    workflows = builder_workflows(tmp_path / "generated", continue_as_new_events=THRESHOLD)

    chain = run_async(build(temporal_env, workflows, workspace, WINDOW))

    assert chain.runs >= 3, chain.events
    assert max(chain.events) <= THRESHOLD + DRAIN_EVENTS, chain.events
    started = [child[child.rindex("pkg-") :] for child in chain.children]  # build-<build id>-<package>
    assert sorted(started) == sorted(graph)
    order = {package: position for position, package in enumerate(started)}
    assert all(order[dep] < order[package] for package, deps in graph.items() for dep in deps)
    report = chain.result
    assert report["success"] is True
    assert report["totals"] == {
        "packages": PACKAGES,
        "built": PACKAGES,
        "failed": 0,
        "not_built": 0,
        "already_published": 0,
    }
    events = (workspace / "reports").glob("*/events.jsonl")
    recorded = [line for path in events for line in path.read_text().splitlines()]
    assert len(recorded) == PACKAGES  # on_complete ran once per package, over all the runs
