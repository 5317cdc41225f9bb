"""The dependency view of a real package-builder run: items, statuses, layers, children and concurrency.

One run serves the whole module (`builder_run`): the seeded package-builder
builds a copy of the sample workspace on a real Temporal dev server, at most
2 builds at a time, with database's tests failing for good, so its
dependents (api-server, then cli) are skipped.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from compiler.ir import Graph, IRNode
from compiler.project_reader import load
from compiler.runs.control import run_id_in
from compiler.runs.dependencies import dependency_view
from compiler.runs.history import RunDetail, Step, describe_run
from compiler.runtime.scheduling import dependency_layers
from examples.package_management.sample import prepare_workspace
from projects.models import Project
from tests.examples.seeded import PROJECT_SLUG, project_workspace, seeded_workflows, worker
from tests.examples.test_package_builder_e2e import DEPENDENCIES
from workflows.management.commands.seed_package_management import DEMO_USERNAME

pytestmark = [pytest.mark.temporal, pytest.mark.django_db]

BUILD_ID = "deps"
SPAWNER = "build-packages"
TO_BUILD = sorted(set(DEPENDENCIES) - {"logger"})  # logger is already published
SKIPPED = {"api-server", "cli"}  # api-server needs database; cli needs api-server


@dataclass
class BuilderRun:
    project: Project
    workflow_id: str
    progress: dict
    workflows: dict[str, type]  # the compiled package-builder and package-build, for more runs


def builder_input(workspace: Path, build_id: str = BUILD_ID, delay: float = 0) -> dict:
    """package-builder's input: at most 2 builds at a time, each step sleeping `delay` times the package size."""
    return {
        "build_id": build_id,
        "workspace_root": str(workspace),
        "config": {"max_concurrent_builds": 2, "build_delay_seconds": delay},
    }


def run_package_builder(directory: Path, temporal_env, event_loop_thread) -> BuilderRun:
    """Seed, compile and run package-builder to its end on the project's task queue, database's tests failing."""
    workflows = seeded_workflows(directory, "package-builder", "package-build")
    project = Project.objects.get(slug=PROJECT_SLUG)
    workspace = prepare_workspace(project_workspace(directory))
    manifest_path = workspace / "packages" / "database" / "package.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "simulate": {"tests": "always_fail"}}))
    payload = builder_input(workspace)
    workflow_id = run_id_in(project, f"package-builder-{uuid.uuid4().hex[:8]}")

    async def build() -> dict:
        async with worker(temporal_env, workflows, project.task_queue):
            handle = await temporal_env.client.start_workflow(
                "package-builder", payload, id=workflow_id, task_queue=project.task_queue
            )
            await handle.result()
            return await handle.query("progress")

    return BuilderRun(project, workflow_id, event_loop_thread.run(build()), workflows)


@pytest.fixture(scope="module")
def builder_run(django_db_setup, django_db_blocker, temporal_env, event_loop_thread, tmp_path_factory):
    """One package-builder run for the module; the project is removed after."""
    with django_db_blocker.unblock():
        run = run_package_builder(tmp_path_factory.mktemp("dependency-view"), temporal_env, event_loop_thread)
        yield run
        run.project.delete()
        get_user_model().objects.filter(username=DEMO_USERNAME).delete()


def graph_of(project: Project) -> Graph:
    return load(project.workflows.get(identifier="package-builder"))


def test_every_package_to_build_appears_with_its_status(builder_run, temporal_address):
    detail = describe_run(builder_run.project, builder_run.workflow_id)
    view = dependency_view(detail, graph_of(builder_run.project), SPAWNER)

    statuses = {item.key: item.status for item in view.items}
    expected = {**dict.fromkeys(TO_BUILD, "completed"), "database": "failed", **dict.fromkeys(SKIPPED, "skipped")}
    assert statuses == expected
    assert view.node_status == "completed"
    assert view.notes == ["Statuses from the result variable 'build_results' in the history."]
    skipped = {item.key: item for item in view.items if item.key in SKIPPED}
    assert {key: item.reason for key, item in skipped.items()} == dict.fromkeys(SKIPPED, "dependency database failed")
    assert all(not item.children for item in skipped.values())


def test_layers_are_the_dependency_layers_of_the_packages_built(builder_run, temporal_address):
    detail = describe_run(builder_run.project, builder_run.workflow_id)
    view = dependency_view(detail, graph_of(builder_run.project), SPAWNER)

    pending = {name: [dep for dep in DEPENDENCIES[name] if dep in TO_BUILD] for name in TO_BUILD}
    assert view.layers == dependency_layers(pending)
    assert {item.key: item.depends_on for item in view.items} == pending
    assert all(view.layers[item.layer].count(item.key) == 1 for item in view.items)
    assert [item.key for item in view.items] == [key for layer in view.layers for key in layer]


def test_each_child_maps_to_its_package_and_never_more_than_two_ran_at_once(builder_run, temporal_address):
    detail = describe_run(builder_run.project, builder_run.workflow_id)
    view = dependency_view(detail, graph_of(builder_run.project), SPAWNER)

    started = {key: child.workflow_id for key, child in view.children()}
    project = builder_run.project
    assert started == {key: run_id_in(project, f"build-{BUILD_ID}-{key}") for key in set(TO_BUILD) - SKIPPED}
    assert not view.unmatched
    assert view.max_running == 2  # layers 2 and 3 have two packages each
    assert max(count for _, _, count in view.concurrency) == 2
    for key, child in view.children():
        running = [other for _, other in view.children() if other.start <= child.start < other.close]
        assert len(running) <= 2, f"{key} started while {running} ran"
        for dep in next(item for item in view.items if item.key == key).depends_on:
            dependency = next(item for item in view.items if item.key == dep).child
            assert dependency.close <= child.start, f"{key} started before {dep} finished"
    assert view.start == view.children()[0][1].start
    assert view.end == max(child.close for _, child in view.children())


def test_statuses_from_the_progress_query_win(builder_run, temporal_address):
    """While a run is open (or its build served) describe_run fills `items` from the progress query."""
    detail = describe_run(builder_run.project, builder_run.workflow_id)
    detail.items = builder_run.progress["items"]
    view = dependency_view(detail, graph_of(builder_run.project), SPAWNER)

    assert view.notes == ["Statuses from the run's progress query."]
    assert {item.key: item.status for item in view.items} == builder_run.progress["items"][SPAWNER]
    assert next(item for item in view.items if item.key == "cli").reason == "dependency database failed"


def test_the_dependency_graph_node_shows_every_package_layered(builder_run, temporal_address):
    detail = describe_run(builder_run.project, builder_run.workflow_id)
    view = dependency_view(detail, graph_of(builder_run.project), "build-dependency-graph")

    assert view.layers == dependency_layers(DEPENDENCIES)
    assert {item.key: item.status for item in view.items} == dict.fromkeys(DEPENDENCIES, "completed")
    assert not view.children() and view.max_running == 0


def test_other_nodes_have_no_dependency_view(builder_run, temporal_address):
    detail = describe_run(builder_run.project, builder_run.workflow_id)
    with pytest.raises(ValueError, match="no spawner or dependency graph node 'verify-plans'"):
        dependency_view(detail, graph_of(builder_run.project), "verify-plans")


def spawner_graph(items: str) -> Graph:
    node = IRNode("fan-out", "spawner", "Fan out", {"items": items, "workflow": "child", "result_var": "done"})
    return Graph(identifier="fan", nodes=(node,))


def child_step(item: str, start: datetime, close: datetime | None) -> Step:
    status = "completed" if close else "running"
    return Step("fan-out", "child_workflow", f"child (run-1-fan-out-{item})", start, close, status)


def test_an_open_run_without_readable_items_shows_children_running_until_now():
    """Items from a function call cannot be read back: keys come from the default child ids, no edges."""
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    detail = RunDetail("run-1", "r", "fan", "running", t0, None, "")
    detail.statuses = {"fan-out": {"status": "running"}}
    detail.steps = [
        child_step("a", t0, t0 + timedelta(seconds=2)),
        child_step("b", t0 + timedelta(seconds=1), None),
        child_step("c", t0 + timedelta(seconds=2), None),
    ]
    now = t0 + timedelta(seconds=5)

    view = dependency_view(detail, spawner_graph("sorted(input.names)"), "fan-out", now=now)

    assert {item.key: item.status for item in view.items} == {"a": "completed", "b": "running", "c": "running"}
    assert view.notes[0].startswith("The items (sorted(input.names)) cannot be read back from the history")
    assert view.layers == [["a", "b", "c"]] and not view.edges
    assert view.end == now
    assert view.max_running == 2  # a closes at the instant c starts: ends count first
    assert view.concurrency == [
        (t0, t0 + timedelta(seconds=1), 1),
        (t0 + timedelta(seconds=1), t0 + timedelta(seconds=2), 2),
        (t0 + timedelta(seconds=2), now, 2),
    ]


def test_a_dependency_cycle_in_the_input_is_named_and_nothing_is_layered():
    node = IRNode("order", "dependency_graph", "Order", {"items": "input.packages", "output_var": "layers"})
    packages = [{"name": "a", "dependencies": ["b"]}, {"name": "b", "dependencies": ["a", "zlib"]}]
    detail = RunDetail("run-2", "r", "orderer", "failed", datetime(2025, 1, 1, tzinfo=UTC), None, "")
    detail.input = {"packages": packages}
    detail.statuses = {"order": {"status": "failed"}}

    view = dependency_view(detail, Graph(identifier="orderer", nodes=(node,)), "order")

    assert view.problem == "The items cannot be layered: dependency cycle: a -> b -> a."
    assert {item.key: (item.status, item.depends_on, item.missing) for item in view.items} == {
        "a": ("failed", ["b"], []),
        "b": ("failed", ["a", "zlib"], ["zlib"]),
    }
    assert view.layers == [] and all(item.layer is None for item in view.items)
    assert sorted(view.edges) == [("a", "b"), ("b", "a")]
