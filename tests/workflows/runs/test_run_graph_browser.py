"""The run page of a real package-builder run in chromium: fitted graph, details beside it, attempts, 800 px.

The run builds the sample packages with database's tests failing for good
(tests/compiler/runs/test_dependencies.py), so its child retries Tests three
times; auth's child passes Tests on the second attempt.
"""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from playwright.sync_api import expect

from compiler.runs.control import run_id_in
from examples.package_management.sample import prepare_workspace
from projects.models import Role
from projects.services import membership_set
from tests.browser.conftest import studio  # noqa: F401 - the fixture
from tests.compiler.conftest import temporal_address  # noqa: F401 - fixture
from tests.compiler.runs.test_dependencies import BUILD_ID, SPAWNER, builder_input, run_package_builder
from tests.examples.seeded import project_workspace, worker
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.temporal, pytest.mark.django_db(transaction=True)]
UI = 15_000  # ms
PHASES = ("start", "initialize", "plan", "build", "verify", "complete", "done")


@pytest.fixture
def built(studio, temporal_address, temporal_env, event_loop_thread, tmp_path):  # noqa: F811 - fixtures imported above
    """A finished package-builder run and a viewer of its project, logged in."""
    run = run_package_builder(tmp_path, temporal_env, event_loop_thread)
    user = make_user()
    membership_set(project=run.project, user=user, role=Role.VIEWER)
    studio.log_in(user.username, PASSWORD)
    return run


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 1
        and inner["y"] >= outer["y"] - 1
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1
    )


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 800


def test_the_run_graph_is_fitted_its_steps_show_their_details_beside_it_and_attempts(studio, built):  # noqa: F811
    page = studio.page
    studio.go("workflows:run-detail", built.project.slug, built.workflow_id)

    # Fitted on load: every phase of package-builder, start to end, lies inside the canvas.
    canvas = page.locator("#canvas")
    expect(canvas.locator("svg.canvas-svg")).to_be_visible(timeout=UI)
    frame = canvas.bounding_box()
    for key in PHASES:
        assert inside(page.locator(f"#node-{key}").bounding_box(), frame), f"{key} is outside the fitted canvas"
    expect(page.locator("#node-build")).to_have_class(re.compile(r"status-completed"))
    studio.shot("fitted")

    # Zoom in and fit again: the controls are the editor's.
    page.get_by_role("button", name="Zoom in").click()
    zoomed = page.locator("#canvas svg.canvas-svg").get_attribute("viewBox")
    page.get_by_role("button", name="Fit").click()
    assert page.locator("#canvas svg.canvas-svg").get_attribute("viewBox") != zoomed

    # A click on a step shows its details beside the graph, and the address says which.
    page.click("#node-verify-plans")
    details = page.locator("#run-node")
    expect(details).to_contain_text("Verify Plans", timeout=UI)
    expect(details).to_contain_text("Output")
    panel = details.bounding_box()
    assert panel["x"] >= frame["x"] + frame["width"] and panel["y"] < frame["y"] + frame["height"], "not beside"
    assert "node=verify-plans" in page.url
    expect(page.locator("#node-verify-plans")).to_have_class(re.compile(r"is-selected"))
    studio.shot("step-details")

    # The spawner's children are links to their run pages: database's retried its tests three times.
    page.locator(f"#node-{SPAWNER} .container-label").click()
    database = run_id_in(built.project, f"build-{BUILD_ID}-database")
    details.get_by_role("link", name=f"build-{BUILD_ID}-database").click()
    expect(page.locator("h1")).to_contain_text(f"build-{BUILD_ID}-database", timeout=UI)
    assert database.replace(":", "%3A") in page.url or database in page.url
    tests = page.locator("#node-run-tests")
    expect(tests.locator(".status-text")).to_have_text("failed · 3 attempts")
    expect(page.locator("#node-run-tests-retry")).to_have_class(re.compile(r"status-failed"))
    expect(page.locator("#node-succeeded")).to_have_class(re.compile(r"status-completed"))
    tests.focus()  # the graph is taller than the screen: choose the step from the keyboard (no panning)
    page.keyboard.press("Enter")
    expect(details).to_contain_text("3 attempts", timeout=UI)
    expect(details.locator(".step-io")).to_have_count(3)
    expect(details).to_contain_text("database: 1 of 1 tests failed")
    expect(details).to_contain_text("Backed off")
    studio.shot("retried-step")

    assert studio.errors == []


def test_the_run_page_and_the_dependency_view_fit_800_pixels(studio, built):  # noqa: F811
    page = studio.page
    page.set_viewport_size({"width": 800, "height": 900})

    studio.go("workflows:run-detail", built.project.slug, built.workflow_id)
    expect(page.locator("#canvas svg.canvas-svg")).to_be_visible(timeout=UI)
    page.click("#node-discover-packages")
    expect(page.locator("#run-node")).to_contain_text("Discover Packages", timeout=UI)
    assert no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
    studio.shot("run-800")

    studio.go("workflows:run-dependencies", built.project.slug, built.workflow_id, SPAWNER)
    expect(page.locator("#run-deps")).to_be_visible(timeout=UI)
    assert no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
    studio.shot("dependencies-800")

    assert studio.errors == []


@pytest.fixture
def slow_run(built, temporal_env, event_loop_thread, tmp_path):
    """A second package-builder run, slowed down (0.3 s per step and package size) and still going; terminated after."""
    project = built.project
    payload = builder_input(prepare_workspace(project_workspace(tmp_path / "slow")), build_id="slow", delay=0.3)

    async def start():
        build_worker = worker(temporal_env, built.workflows, project.task_queue)  # belongs to this loop
        running = asyncio.ensure_future(build_worker.run())
        handle = await temporal_env.client.start_workflow(
            "package-builder",
            payload,
            id=run_id_in(project, f"slow-{uuid.uuid4().hex[:8]}"),
            task_queue=project.task_queue,
        )
        return build_worker, running, handle

    build_worker, running, handle = event_loop_thread.run(start())
    yield handle

    async def stop():
        await handle.terminate("test over")
        await build_worker.shutdown()
        await running

    event_loop_thread.run(stop())


def test_a_live_run_keeps_the_view_and_the_chosen_step_while_the_poll_redraws_it(studio, built, slow_run):  # noqa: F811
    page = studio.page
    studio.go("workflows:run-detail", built.project.slug, slow_run.id)
    expect(page.locator("#run-live")).to_have_attribute("data-status", "running", timeout=UI)
    expect(page.locator("#node-build-packages")).to_have_class(re.compile(r"status-running"), timeout=30_000)
    expect(page.locator("#node-build")).to_have_class(re.compile(r"status-running"))

    page.click("#node-verify-plans")
    expect(page.locator("#run-node")).to_contain_text("Verify Plans", timeout=UI)
    page.get_by_role("button", name="Zoom in").click()
    svg = page.locator("#canvas svg.canvas-svg")
    zoomed = svg.get_attribute("viewBox")
    redrawn = svg.element_handle()
    page.wait_for_function("(old) => !old.isConnected", arg=redrawn, timeout=UI)  # a poll swapped the canvas

    assert page.locator("#canvas svg.canvas-svg").get_attribute("viewBox") == zoomed, "the zoom was lost"
    expect(page.locator("#run-node")).to_contain_text("Verify Plans")
    expect(page.locator("#node-verify-plans")).to_have_class(re.compile(r"is-selected"))
    studio.shot("live")
    assert studio.errors == []
