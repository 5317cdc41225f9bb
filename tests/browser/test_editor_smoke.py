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
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
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

    fitted = svg.get_attribute("viewBox").split()
    start = page.locator("#node-prepare").bounding_box()  # a drag that starts on a container pans
    page.mouse.move(start["x"] + 20, start["y"] + 20)
    page.mouse.down()
    page.mouse.move(start["x"] + 120, start["y"] + 80, steps=5)
    page.mouse.up()
    panned = svg.get_attribute("viewBox").split()
    assert panned[:2] != fitted[:2] and panned[2:] == fitted[2:]
    assert "Select a node" in page.locator("#inspector").inner_text()  # the drag did not open the container

    page.focus("#node-start")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == "node-prepare"
    page.keyboard.press("Enter")
    page.locator("#inspector h2 code", has_text="prepare").wait_for()
    page.locator("#node-prepare.is-selected").wait_for()  # the canvas shows the selection too
    page.screenshot(path=SCREENSHOTS / "editor-inspector.png")
    assert errors == []


def _open_editor(page, live_server, workflow, query: str = "") -> None:
    page.goto(
        f"{live_server.url}{reverse('workflows:editor', args=(workflow.project.slug, workflow.identifier))}{query}"
    )
    page.locator("#canvas svg.canvas-svg").wait_for()


def test_palette_adds_a_node_through_htmx_and_the_zoom_survives_the_swap(live_server, browser_page):
    page, errors = browser_page
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    _log_in(page, live_server, owner)
    _open_editor(page, live_server, workflow)

    page.click("[data-zoom=in]")
    zoomed = page.locator("#canvas svg").get_attribute("viewBox")
    page.select_option("#palette-container", "build:remediation")
    page.click(".palette-item[value=timer]")
    page.locator("#node-timer").wait_for()
    page.locator("#inspector h2 code", has_text="timer").wait_for()
    assert page.locator("#canvas svg").get_attribute("viewBox") == zoomed
    assert workflow.nodes.get(key="timer").parent.key == "build"
    page.screenshot(path=SCREENSHOTS / "editor-added-node.png")
    assert errors == []


def test_a_stale_save_shows_the_conflict_and_keeps_what_the_user_typed(live_server, browser_page):
    page, errors = browser_page
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    _log_in(page, live_server, owner)
    _open_editor(page, live_server, workflow, "?node=exists")
    other = page.context.new_page()
    _open_editor(other, live_server, workflow, "?node=exists")

    other.fill("#field-label", "Changed in the other tab")
    other.click("#inspector button.primary")
    other.locator("#inspector", has_text="Saved.").wait_for()

    page.fill("#field-label", "My unsaved label")
    page.click("#inspector button.primary")
    page.locator(".conflict", has_text="was changed by someone else").wait_for()
    assert page.input_value("#field-label") == "My unsaved label"
    assert page.locator(".conflict a", has_text="Reload the editor").is_visible()
    assert workflow.nodes.get(key="exists").label == "Changed in the other tab"
    page.screenshot(path=SCREENSHOTS / "editor-conflict.png")
    # The 409 is expected; the browser logs every 4xx response as a console error.
    assert [e for e in errors if "409" not in e] == []


def test_editor_works_on_a_narrow_screen(live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    _log_in(page, live_server, owner)
    _open_editor(page, live_server, workflow)
    canvas = page.locator("#canvas").bounding_box()
    assert canvas["width"] <= 390 and canvas["height"] > 300
    assert page.locator("#node-start").is_visible()
    page.screenshot(path=SCREENSHOTS / "editor-narrow.png", full_page=True)
    assert errors == []
