"""Errors never replace the run page (issue 18 item 3), in chromium: a malformed payload and an action the
user lost the role for each answer a message in the actions' panel, and the page around it stays as it was."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from projects.models import Membership, Role
from tests.browser.conftest import studio  # noqa: F401 - the fixture
from tests.factories import PASSWORD
from tests.workflows.run_support import greeters, start_worker, temporal_address  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.temporal, pytest.mark.django_db(transaction=True)]
UI = 15_000  # ms
RUN = 30_000  # ms


def test_a_malformed_payload_and_a_refused_cancel_leave_the_run_page_intact(studio, greeters):  # noqa: F811
    page = studio.page
    editor = greeters.users["editor"]
    studio.log_in(editor.username, PASSWORD)
    studio.go("workflows:runs", greeters.project.slug, "greeter")
    page.fill("#run-input", '{"name": "Ada"}')
    page.locator("#run-form").get_by_role("button", name="Run").click()
    expect(page.locator("#node-wait-approval")).to_have_class(re.compile(r"status-running"), timeout=RUN)
    title = page.title()

    page.locator("#signal-approve summary").click()
    page.fill("#payload-signal-approve", "{by")
    page.get_by_role("button", name="Signal approve").click()
    expect(page.locator("#signal-approve .message.error")).to_contain_text("payload: is not valid JSON", timeout=UI)
    studio.shot("malformed-payload")

    Membership.objects.filter(project=greeters.project, user=editor).update(role=Role.VIEWER)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel run").click()
    expect(page.locator("#run-messages [data-status='403']")).to_be_visible(timeout=UI)
    studio.shot("refused-cancel")

    assert page.title() == title
    expect(page.locator("#run-actions")).to_contain_text("Signal approve")
    expect(page.locator("#payload-signal-approve")).to_have_value("{by")
    expect(page.locator("#node-nap")).to_be_visible()
    expect(page.locator("#run-status")).to_have_text("running")
    expect(page.locator("body pre.exception_value, body #traceback")).to_have_count(0)
