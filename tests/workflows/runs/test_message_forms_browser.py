"""Signal forms in chromium (issue 18 items 1, 2 and 4): on a live continuous-builder run, `pause` (no payload: a
plain button) is sent from its form, its outcome shows in that form's panel and the state panel follows; the
project page lists the run and links back to it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compiler.builds.deploy import deploy_project
from compiler.runs.control import start_run, terminate_run
from projects.models import Project
from tests.browser.conftest import studio, worker  # noqa: F401 - the fixtures
from tests.examples.seeded import project_workspace
from tests.factories import PASSWORD
from tests.workflows.run_support import start_worker, temporal_address  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.temporal, pytest.mark.django_db(transaction=True)]
UI = 15_000  # ms


def test_pause_from_its_form_shows_in_the_state_panel(studio, worker, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("seed_package_management", stdout=io.StringIO())
    project = Project.objects.get(slug="package-management")
    demo = project.owner
    assert deploy_project(project, demo, activation_wait=60).deployment.status == "current", worker.output
    workspace = str(project_workspace(tmp_path))
    ref = start_run(project, "continuous-builder", {"workspace_root": workspace}, workflow_id=f"cb-{tmp_path.name}")
    try:
        page = studio.page
        studio.log_in("demo", PASSWORD)
        page.goto(f"{studio.url}/p/{project.slug}/runs/{ref.workflow_id}/?run={ref.run_id}")
        expect(page.locator("#query-state")).to_contain_text('"paused": false', timeout=UI)
        form = page.locator("#signal-pause")
        expect(form.locator("input[name^=field-]")).to_have_count(0)
        expect(page.locator("#signal-newPackages")).to_be_visible()
        studio.shot("running")

        form.get_by_role("button", name="Signal pause").click()
        expect(form.locator(".message.success")).to_have_text("Sent pause.", timeout=UI)
        expect(page.locator("#query-state")).to_contain_text('"paused": true', timeout=UI)
        studio.shot("paused")

        adjust = page.locator("#signal-adjustConcurrency")
        adjust.locator("summary").click()
        adjust.locator("textarea[name=payload]").fill("[1,")
        adjust.get_by_role("button", name="Signal adjustConcurrency").click()
        expect(adjust.locator(".message.error")).to_contain_text("payload: is not valid JSON", timeout=UI)
        expect(page.locator("#query-state")).to_contain_text('"paused": true')
        expect(page.locator("#run-status")).to_have_text("running")
        studio.shot("malformed-payload")

        # The project page's cards load after it: the current build, this run among the newest, running.
        studio.go("projects:detail", project.slug)
        expect(page.locator("#activity .badge.build-current")).to_have_text("current", timeout=UI)
        row = page.locator(f"#recent-runs tr[data-run='{ref.workflow_id}']")
        expect(row.locator(".badge")).to_have_text("running", timeout=UI)
        expect(page.locator("#deploy-states")).to_contain_text("continuous-builder", timeout=UI)
        studio.shot("project-page")
        row.get_by_role("link", name="cb-").click()
        expect(page.locator("#query-state")).to_contain_text('"paused": true', timeout=UI)
        assert not [error for error in studio.errors if "Uncaught" in error or "status of 500" in error]
    finally:
        studio.page.goto("about:blank")  # stop the run page's polling before the live server goes
        terminate_run(project, ref.workflow_id, "test over", ref.run_id)
