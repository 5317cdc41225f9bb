"""The dependency view page on a real package-builder run: DAG, timeline, items, links, roles, Temporal away."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from django.urls import reverse

from compiler.runs.control import run_id_in
from examples.package_management.sample import prepare_workspace
from projects.models import Role
from projects.services import membership_set
from tests.compiler.conftest import temporal_address  # noqa: F401 - fixture
from tests.compiler.runs.test_control import wait_until
from tests.compiler.runs.test_dependencies import (  # noqa: F401 - builder_run is a fixture
    BUILD_ID,
    SKIPPED,
    SPAWNER,
    TO_BUILD,
    builder_input,
    builder_run,
)
from tests.examples.seeded import project_workspace, worker
from tests.examples.test_package_builder_e2e import DEPENDENCIES
from tests.factories import make_project, make_user
from tests.workflows.editor_support import client_for, htmx

pytestmark = [pytest.mark.temporal, pytest.mark.django_db]


def deps_url(project, workflow_id: str, node_key: str) -> str:
    return reverse("workflows:run-dependencies", args=(project.slug, workflow_id, node_key))


@pytest.fixture
def viewer(builder_run):  # noqa: F811 - the fixture imported above
    user = make_user()
    membership_set(project=builder_run.project, user=user, role=Role.VIEWER)
    return client_for(user)


def item_statuses(page: str) -> dict[str, str]:
    return dict(re.findall(r'id="deps-item-([\w-]+)" data-key="[\w-]+" data-status="(\w+)"', page))


def test_a_viewer_sees_the_packages_by_status_and_that_two_builds_ran_at_once(builder_run, viewer, temporal_address):  # noqa: F811
    response = viewer.get(deps_url(builder_run.project, builder_run.workflow_id, SPAWNER))

    assert response.status_code == 200
    page = response.content.decode()
    expected = {**dict.fromkeys(TO_BUILD, "completed"), "database": "failed", **dict.fromkeys(SKIPPED, "skipped")}
    assert item_statuses(page) == expected
    assert 'class="node deps-item status-failed" id="deps-item-database"' in page
    assert "7 items in 5 layers" in page and page.count('class="layer-label"') == 5
    assert '<strong id="deps-max-running">2</strong>' in page
    assert page.count('class="bar status-') == len(set(TO_BUILD) - SKIPPED)
    assert "skipped: dependency database failed" in page  # the timeline row of a package never started
    assert "hx-trigger" not in page, "a closed run is not polled"
    assert f"<code>build-{BUILD_ID}-auth</code>" in page  # the child run of each item


def test_an_open_run_is_polled_and_its_running_builds_come_from_the_progress_query(
    builder_run,  # noqa: F811
    viewer,
    temporal_address,  # noqa: F811
    temporal_env,
    event_loop_thread,
    tmp_path,
):
    project = builder_run.project
    slow = builder_input(prepare_workspace(project_workspace(tmp_path)), build_id="slow", delay=0.3)

    async def start():
        build_worker = worker(temporal_env, builder_run.workflows, project.task_queue)  # belongs to this loop
        running = asyncio.ensure_future(build_worker.run())
        handle = await temporal_env.client.start_workflow(
            "package-builder",
            slow,
            id=run_id_in(project, f"slow-{uuid.uuid4().hex[:8]}"),
            task_queue=project.task_queue,
        )
        return build_worker, running, handle

    build_worker, running, handle = event_loop_thread.run(start())
    try:
        url = deps_url(project, handle.id, SPAWNER)
        page = wait_until(
            lambda: "running" in item_statuses(page := viewer.get(url).content.decode()).values() and page
        )
        assert page, "no build was ever seen running"
        assert 'hx-trigger="every 2s"' in page and f'hx-get="{url}?run=' in page
        assert "Statuses from the run&#x27;s progress query." in page
        assert 'class="bar status-running"' in page
        partial = htmx(viewer, "get", url).content.decode()
        assert partial.lstrip().startswith('<div id="run-deps" hx-get=')
    finally:

        async def stop():
            await handle.terminate("test over")
            await build_worker.shutdown()
            await running

        event_loop_thread.run(stop())


def test_the_dependency_graph_node_shows_all_packages_and_htmx_gets_the_partial(builder_run, viewer, temporal_address):  # noqa: F811
    url = deps_url(builder_run.project, builder_run.workflow_id, "build-dependency-graph")

    partial = htmx(viewer, "get", url).content.decode()

    assert '<div id="run-deps"' in partial and "<html" not in partial
    assert item_statuses(partial) == dict.fromkeys(DEPENDENCIES, "completed")
    assert 'id="deps-timeline"' not in partial, "a dependency graph runs no children"


def test_the_run_page_links_to_the_dependency_views(builder_run, viewer, temporal_address):  # noqa: F811
    run_url = reverse("workflows:run-detail", args=(builder_run.project.slug, builder_run.workflow_id))

    page = viewer.get(run_url).content.decode()
    spawner = viewer.get(run_url, {"node": SPAWNER}).content.decode()
    layering = viewer.get(run_url, {"node": "build-dependency-graph"}).content.decode()

    for node_key in (SPAWNER, "build-dependency-graph"):
        assert deps_url(builder_run.project, builder_run.workflow_id, node_key) + "?run=" in page
    assert "Open the dependency view of Build Packages" in spawner  # in the spawner's details panel
    assert "Open the dependency view of Build Dependency Graph" in layering  # a node without steps too


def test_non_members_other_nodes_and_unknown_runs_get_404(builder_run, viewer, temporal_address):  # noqa: F811
    outsider = client_for(make_user())
    project, workflow_id = builder_run.project, builder_run.workflow_id
    assert outsider.get(deps_url(project, workflow_id, SPAWNER)).status_code == 404
    assert viewer.get(deps_url(project, workflow_id, "verify-plans")).status_code == 404
    assert viewer.get(deps_url(project, "no-such-run", SPAWNER)).status_code == 404


def test_unreachable_temporal_is_a_503_page_that_says_so(db, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    owner = make_user()
    project = make_project(owner, name="Deps Away")

    response = client_for(owner).get(deps_url(project, "any-run", SPAWNER))

    assert response.status_code == 503
    page = response.content.decode()
    assert "The dependency view reads the run from Temporal, which cannot be reached" in page
    assert "Cannot reach Temporal at 127.0.0.1:1" in page
