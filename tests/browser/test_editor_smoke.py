"""Browser smoke test of the editor: log in, open a workflow, see the canvas, open a node with the keyboard.

Playwright (Python, sync API) drives Debian's chromium (`apt-get install
chromium`; the Makefile's test target installs it). Screenshots go to
test-results/browser/. Any console error fails the test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_project, make_user, make_workflow_from_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("test-results/browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def browser_page():
    # Sync Playwright runs its own event loop in this thread; Django's ORM would refuse that without this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        # The app has no favicon; the browser's automatic request must not count as a page error.
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, errors
        browser.close()


def _log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_editor_shows_the_canvas_and_opens_a_node_from_the_keyboard(live_server, browser_page):
    page, errors = browser_page
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    _log_in(page, live_server, owner)

    page.goto(f"{live_server.url}{reverse('workflows:editor', args=(workflow.project.slug, workflow.identifier))}")
    svg = page.locator("#canvas svg.canvas-svg")
    svg.wait_for()
    assert page.locator("#canvas .node").count() == workflow.nodes.count()
    assert svg.get_attribute("viewBox").startswith("-16 -16")  # fitted to the screen on open
    page.screenshot(path=SCREENSHOTS / "editor-open.png")

    page.focus("#node-start")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == "node-prepare"
    page.keyboard.press("Enter")
    page.locator("#inspector h2 code", has_text="prepare").wait_for()
    assert "is-selected" in page.locator("#node-prepare").get_attribute("class")
    page.screenshot(path=SCREENSHOTS / "editor-inspector.png")
    assert errors == []
