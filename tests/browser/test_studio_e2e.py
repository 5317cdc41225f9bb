"""End to end in a browser, as a new user works: design, validate, read the code, deploy, run, signal.

Everything is real: chromium drives the live server, deploys go to the
session's Temporal dev server and the runs execute on a `run_worker`
subprocess (tests/browser/conftest.py). Screenshots of every step land in
test-results/browser/<test>/NN-<step>.png. Any console or page error fails
the test. Waits are bounded: each step has its own timeout, generous for a
loaded machine, so a hang fails in seconds, not at the suite timeout.
"""

from __future__ import annotations

import io
import json
import time
import uuid

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compiler.models import Deployment, DeploymentStatus
from compiler.runs.control import run_id_in
from projects.models import Project
from tests.examples.seeded import project_workspace
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.temporal, pytest.mark.django_db(transaction=True)]

PHASES = ["initialize", "plan", "build", "verify", "complete"]
STEPS_IN_PHASES = {
    "initialize": ["discover-packages", "build-dependency-graph"],
    "plan": ["verify-plans"],
    "build": ["build-packages"],
    "verify": ["integration-tests"],
    "complete": ["load-package-reports", "generate-build-report"],
}
ORCHESTRATOR_ID = f"continuous-builder-e2e-{uuid.uuid4().hex[:8]}"
UI = 15_000  # ms: a page or an HTMX swap
DEPLOY = 60_000  # ms: compile every workflow, replay check, the worker picks the build up
RUN = 90_000  # ms: a whole run on the worker


def _inside(inner: dict, outer: dict) -> bool:
    return (
        outer["x"] <= inner["x"]
        and outer["y"] <= inner["y"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


def _wait_until_current(project: Project, timeout: float = DEPLOY / 1000) -> None:
    """The deploy returns after a few seconds; on a loaded machine the worker may make the build current later."""
    deadline = time.monotonic() + timeout
    while not Deployment.objects.filter(project=project, status=DeploymentStatus.CURRENT).exists():
        assert time.monotonic() < deadline, "the worker never made the deployed build current"
        time.sleep(0.2)


def _deploy(studio, project: Project) -> None:
    page = studio.page
    page.get_by_role("button", name="Deploy project").click()
    expect(page.locator("#editor-messages")).to_contain_text("Deployed build", timeout=DEPLOY)
    _wait_until_current(project)


def _start_run(studio, run_input: dict | None = None) -> None:
    """From the editor's toolbar: Run… opens the runs page; the form starts a run and opens it."""
    page = studio.page
    page.get_by_role("link", name="Run…").click()
    expect(page.locator("#run-form")).to_be_visible(timeout=UI)
    if run_input is not None:
        page.fill("#run-input", json.dumps(run_input))
    page.locator("#run-form").get_by_role("button", name="Run").click()
    expect(page.locator("#run-live")).to_be_visible(timeout=UI)


def _wait_for_completed_run(studio) -> None:
    """The live region polls every 2 s; once the run completed, every node of the graph is completed."""
    page = studio.page
    expect(page.locator("#run-live")).to_have_attribute("data-status", "completed", timeout=RUN)
    nodes = page.locator("#canvas g.node")
    assert nodes.count() > 0
    statuses = {node.get_attribute("data-key"): node.get_attribute("class") for node in nodes.all()}
    assert all("status-completed" in classes for classes in statuses.values()), statuses


def _inspect(studio, key: str) -> None:
    """Click the node unless it is open already (the swap would race the next input).

    Fit first, as new nodes may be laid out beyond the part of the canvas on screen.
    """
    inspected = studio.page.locator("#inspector h2 code")
    if inspected.count() and inspected.text_content() == key:
        return
    studio.page.click("[data-zoom=fit]")
    studio.page.click(f"#node-{key}")
    expect(inspected).to_have_text(key, timeout=UI)


def _add_node(studio, node_type: str, key: str) -> None:
    studio.page.click(f".palette-item[value={node_type}]")
    expect(studio.page.locator("#inspector h2 code")).to_have_text(key, timeout=UI)


def _save_inspector(studio) -> None:
    studio.page.locator("#inspector").get_by_role("button", name="Save").click()
    expect(studio.page.locator("#inspector")).to_contain_text("Saved.", timeout=UI)


def _choose_sleep(page):
    """Pick the `sleep` activity and return its `seconds` argument field.

    A new activity node already runs `sleep`; picking it again would re-render
    the inspector under whatever is typed next, so only another choice is changed.
    """
    if page.input_value("#field-activity") != "sleep":
        page.select_option("#field-activity", "sleep")
    seconds = page.get_by_label("Arguments expression 1 (seconds)")
    expect(seconds).to_be_visible(timeout=UI)
    return seconds


def _sleep_step(studio, key: str, label: str, result_var: str) -> None:
    """The selected activity node becomes `sleep(0)` named `label`, its result kept in `result_var`."""
    page = studio.page
    _inspect(studio, key)
    page.fill("#field-label", label)
    _choose_sleep(page).fill("0")
    page.fill("#field-result_var", result_var)
    _save_inspector(studio)


def _connect(studio, source: str, kind: str, target: str) -> None:
    """From the inspector's edge form: kind and target picked from the lists."""
    page = studio.page
    _inspect(studio, source)
    page.select_option("#edge-kind", kind)
    page.select_option("#edge-target", target)
    page.locator("#inspector").get_by_role("button", name="Add edge").click()
    expect(page.locator("#inspector")).to_contain_text(f"Connected {source} -{kind}-> {target}.", timeout=UI)


def test_demo_extends_package_builder_deploys_runs_it_and_pauses_the_orchestrator(
    studio, worker, temporal_address, temporal_env, run_async, monkeypatch, tmp_path
):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("seed_package_management", stdout=io.StringIO())
    project = Project.objects.get(slug="package-management")
    page = studio.page

    studio.log_in("demo", PASSWORD)
    studio.shot("projects")
    page.get_by_role("link", name="Package Management").click()
    expect(page.locator("h1")).to_have_text("Package Management", timeout=UI)
    studio.shot("project")

    page.locator("#workflows tr", has_text="package-builder").get_by_role("link").click()
    page.get_by_role("link", name="Open editor").click()
    expect(page.locator("#canvas svg.canvas-svg")).to_be_visible(timeout=UI)
    boxes = {key: page.locator(f"#node-{key}").bounding_box() for key in PHASES}
    assert [key for key, _ in sorted(boxes.items(), key=lambda item: item[1]["y"])] == PHASES
    for phase, steps in STEPS_IN_PHASES.items():
        for step in steps:
            assert _inside(page.locator(f"#node-{step}").bounding_box(), boxes[phase]), f"{step} is not in {phase}"
    expect(page.locator("#node-build-packages .badge--concurrency").first).to_contain_text("max")
    studio.shot("package-builder")

    # Add an activity into VERIFY: it starts unconnected, so validation complains.
    page.select_option("#palette-container", "verify:body")
    page.click(".palette-item[value=activity]")
    expect(page.locator("#inspector h2 code")).to_have_text("activity", timeout=UI)
    assert _inside(page.locator("#node-activity").bounding_box(), page.locator("#node-verify").bounding_box())
    expect(page.locator("#diagnostics-title")).not_to_have_text("Validation: no errors")
    studio.shot("activity-added")

    # Connect Integration Tests -> the new activity by picking the target on the canvas.
    page.click("#node-integration-tests")
    expect(page.locator("#inspector h2 code")).to_have_text("integration-tests", timeout=UI)
    page.get_by_role("button", name="Pick next target on canvas").click()
    expect(page.locator(".connect-banner")).to_be_visible(timeout=UI)
    page.click("#node-activity")
    expect(page.locator("#inspector")).to_contain_text("Connected integration-tests -next-> activity.", timeout=UI)
    expect(page.locator("#canvas g.edge[data-source=integration-tests][data-target=activity]")).to_have_count(1)
    studio.shot("connected")

    # Pick its activity: the inspector shows the activity's arguments; fill them in and save.
    page.click("#node-activity")
    expect(page.locator("#inspector h2 code")).to_have_text("activity", timeout=UI)
    page.fill("#field-label", "Wait For Mirrors")
    _choose_sleep(page).fill("0")
    page.locator("#inspector").get_by_role("button", name="Save").click()
    expect(page.locator("#inspector")).to_contain_text("Saved.", timeout=UI)
    expect(page.locator("#diagnostics-title")).to_have_text("Validation: no errors", timeout=UI)
    expect(page.locator("#node-activity")).to_contain_text("Wait For Mirrors")
    studio.shot("validation-clean")

    # The generated code calls the new step, with its label as the summary.
    page.get_by_role("button", name="View code").click()
    expect(page.locator("#code-view")).to_contain_text("Wait For Mirrors", timeout=UI)
    expect(page.locator("#code-view")).to_contain_text("'sleep'")
    page.locator("#code-view").get_by_text("Wait For Mirrors").first.scroll_into_view_if_needed()
    studio.shot("code-view")

    _deploy(studio, project)
    studio.shot("deployed")

    # Run it on one package; the run page colours the graph until every node is completed.
    run_input = {
        "build_id": "e2e",
        "workspace_root": str(project_workspace(tmp_path)),
        "packages": ["core-utils"],
        "plan_path": "",
        "config": {"max_concurrent_builds": 2, "build_delay_seconds": 0},
    }
    _start_run(studio, run_input)
    studio.shot("run-started")
    _wait_for_completed_run(studio)
    expect(page.locator("#run-result")).to_contain_text("core-utils")
    studio.shot("run-completed")

    # The orchestrator: start it from its runs page, then pause it with its signal button.
    page.get_by_role("link", name="Package Management").click()
    page.locator("#workflows tr", has_text="continuous-builder").get_by_role("link").click()
    page.get_by_role("link", name="Runs").click()
    # Its own id, not the fixed `continuous-builder-orchestrator`: other tests on this Temporal may run that one.
    page.fill("#run-workflow-id", ORCHESTRATOR_ID)
    page.locator("#run-form").get_by_role("button", name="Run").click()
    expect(page.locator("#run-live")).to_have_attribute("data-status", "running", timeout=UI)
    expect(page.locator("h1")).to_contain_text(ORCHESTRATOR_ID)
    expect(page.locator("#query-state")).to_contain_text('"paused": false', timeout=UI)
    studio.shot("orchestrator-running")
    # pause declares no payload: its form is a plain button; the outcome shows in its own panel, and the state
    # panel (the workflow's `state` query, refreshed with the run) shows the effect.
    expect(page.locator("#signal-pause input[name^=field-]")).to_have_count(0)
    page.get_by_role("button", name="Signal pause").click()
    expect(page.locator("#signal-pause .message.success")).to_have_text("Sent pause.", timeout=UI)
    expect(page.locator("#query-state")).to_contain_text('"paused": true', timeout=UI)
    studio.shot("orchestrator-paused")
    orchestrator = temporal_env.client.get_workflow_handle(run_id_in(project, ORCHESTRATOR_ID))
    assert run_async(orchestrator.query("state"))["paused"] is True
    page.locator("#run-actions").get_by_role("button", name="Terminate").click()
    expect(page.locator("#run-messages")).to_have_text("Terminated.", timeout=UI)
    expect(page.locator("#run-live")).to_have_attribute("data-status", "terminated", timeout=UI)

    assert studio.errors == []


def test_a_new_user_builds_a_workflow_with_a_condition_from_an_empty_project_and_runs_it(
    studio, worker, temporal_address
):
    user = make_user("newcomer")
    make_user("reviewer")
    page = studio.page
    studio.log_in(user.username, PASSWORD)
    expect(page.locator(".card.empty")).to_contain_text("You are not a member of any project yet")
    studio.shot("no-projects")

    page.fill("#project-form input[name=name]", "Release Train")
    page.get_by_role("button", name="Create project").click()
    expect(page.locator("h1")).to_have_text("Release Train", timeout=UI)
    expect(page.locator("#members")).to_contain_text("newcomer")
    page.fill("#member-add input[name=username]", "reviewer")
    page.select_option("#member-add select[name=role]", "editor")
    page.get_by_role("button", name="Add member").click()
    expect(page.locator("#members .message")).to_have_text("reviewer is now editor.", timeout=UI)
    expect(page.get_by_label("Role of reviewer")).to_have_value("editor")
    studio.shot("project-created")

    page.fill("#workflow-form input[name=identifier]", "triage")
    page.fill("#workflow-form input[name=name]", "Triage")
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.locator("#canvas svg.canvas-svg")).to_be_visible(timeout=UI)
    expect(page.locator("#canvas g.edge[data-source=start][data-target=end]")).to_have_count(1)
    studio.shot("new-workflow")

    # Start -> Measure -> Slept? -(true)-> Celebrate -> End, and -(false)-> End.
    _inspect(studio, "start")
    page.get_by_role("button", name="Remove the next edge to end").click()
    expect(page.locator("#canvas g.edge")).to_have_count(0, timeout=UI)
    _add_node(studio, "activity", "activity")
    _add_node(studio, "condition", "condition")
    _add_node(studio, "activity", "activity-2")
    _sleep_step(studio, "activity", "Measure", "measured")
    _inspect(studio, "condition")
    page.fill("#field-label", "Slept?")
    page.fill("#field-expression", "measured.slept == 0")
    _save_inspector(studio)
    _sleep_step(studio, "activity-2", "Celebrate", "celebrated")
    _inspect(studio, "end")
    page.fill("#field-result", "{'measured': measured, 'celebrated': celebrated}")
    _save_inspector(studio)
    expect(page.locator("#diagnostics-title")).not_to_have_text("Validation: no errors")
    studio.shot("steps-added")

    _connect(studio, "start", "next", "activity")
    _connect(studio, "activity", "next", "condition")
    _connect(studio, "condition", "true", "activity-2")
    _connect(studio, "condition", "false", "end")
    _connect(studio, "activity-2", "next", "end")
    expect(page.locator("#diagnostics-title")).to_have_text("Validation: no errors", timeout=UI)
    expect(page.locator("#canvas g.edge--true")).to_have_count(1)
    expect(page.locator("#canvas g.edge--false")).to_have_count(1)
    studio.shot("connected")

    _deploy(studio, Project.objects.get(slug="release-train"))
    studio.shot("deployed")
    _start_run(studio)
    _wait_for_completed_run(studio)
    assert json.loads(page.locator("#run-result").text_content()) == {
        "measured": {"slept": 0},
        "celebrated": {"slept": 0},
    }
    studio.shot("run-completed")
    assert studio.errors == []
