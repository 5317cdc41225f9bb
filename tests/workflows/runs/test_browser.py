"""The run page in chromium: start from the form, click a node to see its steps, signal, polling stops."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import studio  # noqa: F401 - the fixture
from tests.factories import PASSWORD
from tests.workflows.run_support import greeters, start_worker, temporal_address  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.temporal, pytest.mark.django_db(transaction=True)]
UI = 15_000  # ms
RUN = 30_000  # ms


def test_a_run_is_started_inspected_by_node_and_signalled_until_polling_stops(studio, greeters):  # noqa: F811
    page = studio.page
    studio.log_in(greeters.users["editor"].username, PASSWORD)
    studio.go("workflows:runs", greeters.project.slug, "greeter")
    page.fill("#run-input", '{"name": "Ada", "nap": 0.2}')
    page.locator("#run-form").get_by_role("button", name="Run").click()
    expect(page.locator("#node-wait-approval")).to_have_class(re.compile(r"status-running"), timeout=RUN)

    page.click("#node-nap")
    expect(page.locator("#run-node")).to_contain_text('"slept": 0.2', timeout=UI)
    page.wait_for_timeout(2500)  # one poll refreshed the graph and the details; the chosen node stays
    expect(page.locator("#run-node")).to_contain_text('"slept": 0.2')
    expect(page.locator("#node-nap")).to_have_class(re.compile(r"is-selected"))
    studio.shot("waiting-for-approval")

    page.fill("#signal-approve-by", "  ")
    page.get_by_role("button", name="Signal approve").click()
    expect(page.locator("#error-signal-approve-by")).to_have_text("is required and must not be empty", timeout=UI)
    page.fill("#signal-approve-by", "Bo")
    page.get_by_role("button", name="Signal approve").click()
    expect(page.locator("#signal-approve")).to_contain_text('Sent approve with {"by": "Bo"}.', timeout=UI)

    live = page.locator("#run-live")
    expect(live).to_have_attribute("data-status", "completed", timeout=RUN)
    expect(live).not_to_have_attribute("hx-trigger", re.compile(".*"))
    expect(page.locator("#run-result")).to_contain_text('"Bo"')
    expect(page.locator("#node-done")).to_have_class(re.compile(r"status-completed"))
    expect(page.locator("#run-status")).to_have_text("completed")
    expect(page.locator("#run-actions")).to_contain_text("The run has finished.")
    studio.shot("completed")
    # Chromium logs every 4xx answer; the refused payload is the only one.
    assert studio.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
