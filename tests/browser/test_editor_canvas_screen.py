"""The canvas uses the screen (issue 17 item 2): full width, folding side panels, a readable Fit with a minimap.

Seeded workflows come from `manage.py seed_package_management`, as a user
sees them. With WRITE_EDITOR_SCREENSHOTS=1 the first test also writes the
1440x900 screenshots of the four seeded workflows shown in docs/editor.md
(docs/screenshots/); without it they go to test-results/ like every shot.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from benchmarks.editor_render import synthetic_document
from tests.factories import PASSWORD, make_project, make_user, make_workflow_from_document
from workflows.models import Workflow
from workflows.services import workflow_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEDED = ("package-builder", "package-build", "continuous-builder", "mcp-poller")
DOCS_SCREENSHOTS = Path("docs/screenshots")
READABLE = 0.6  # the editor canvas's data-min-fit-scale (templates/workflows/_canvas.html)


def _scale(page) -> float:
    return float(page.locator("#canvas svg.canvas-svg").get_attribute("data-scale"))


def _open(studio, workflow) -> None:
    studio.go("workflows:editor", workflow.project.slug, workflow.identifier)
    studio.page.locator("#canvas svg.canvas-svg").wait_for()


def test_seeded_workflows_fit_at_a_readable_scale_on_a_1440_screen(studio, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("seed_package_management", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    studio.log_in("demo", PASSWORD)
    page = studio.page
    folder = DOCS_SCREENSHOTS if os.environ.get("WRITE_EDITOR_SCREENSHOTS") else studio.folder
    folder.mkdir(parents=True, exist_ok=True)
    for identifier in SEEDED:
        _open(studio, Workflow.objects.get(project__slug="package-management", identifier=identifier))
        assert _scale(page) >= READABLE, identifier
        assert page.locator(".editor").bounding_box()["width"] >= 1440 - 40  # the page's width, not a column
        assert page.locator("#canvas").bounding_box()["width"] >= 800
        page.screenshot(path=folder / f"editor-{identifier}.png")
    assert studio.errors == []


def test_a_300_node_graph_fits_at_a_readable_scale_with_the_minimap(studio):
    owner = make_user()
    workflow = workflow_import(project=make_project(owner), user=owner, document=synthetic_document(300))
    studio.log_in(owner.username, PASSWORD)
    _open(studio, workflow)
    page = studio.page
    page.click("[data-zoom=fit]")
    assert _scale(page) == pytest.approx(READABLE, abs=0.01)  # Fit stops at the readable scale: it pans instead
    minimap = page.locator("#editor-canvas svg.minimap")
    expect(minimap).to_be_visible()
    frame = page.locator("#editor-canvas .minimap-frame")
    top = float(frame.get_attribute("y"))

    box = minimap.bounding_box()  # a click low in the minimap moves the view down the graph
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8)
    assert float(frame.get_attribute("y")) > top + 500
    assert _scale(page) == pytest.approx(READABLE, abs=0.01)

    svg = page.locator("#canvas svg.canvas-svg").bounding_box()  # the wheel pans, Ctrl+wheel zooms to the cursor
    page.mouse.move(svg["x"] + svg["width"] / 2, svg["y"] + svg["height"] / 2)
    moved = float(frame.get_attribute("y"))
    page.mouse.wheel(0, 300)
    assert float(frame.get_attribute("y")) > moved
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    assert _scale(page) > READABLE
    studio.shot("300-nodes")
    assert studio.errors == []


def test_side_panels_fold_away_and_the_choice_is_remembered(studio):
    owner = make_user()
    workflow = workflow_import(project=make_project(owner), user=owner, document=synthetic_document(30))
    studio.log_in(owner.username, PASSWORD)
    _open(studio, workflow)
    page = studio.page
    wide = page.locator("#canvas").bounding_box()["width"]
    page.click("[data-panel=palette]")
    page.click("[data-panel=side]")
    expect(page.locator("#editor-palette")).to_be_hidden()
    expect(page.locator("#inspector")).to_be_hidden()
    assert page.locator("[data-panel=side]").get_attribute("aria-expanded") == "false"
    assert page.locator("#canvas").bounding_box()["width"] > wide + 400
    page.reload()
    page.locator("#canvas svg.canvas-svg").wait_for()
    expect(page.locator("#editor-palette")).to_be_hidden()  # remembered in this browser
    page.locator("#canvas .node[data-key=s1-fetch]").click()  # opening a node shows the inspector
    expect(page.locator("#inspector h2 code")).to_have_text("s1-fetch")
    page.click("[data-panel=palette]")
    expect(page.locator("#editor-palette")).to_be_visible()
    assert studio.errors == []


def test_the_800_px_editor_has_no_horizontal_page_overflow(studio):
    owner = make_user()
    workflow = workflow_import(project=make_project(owner), user=owner, document=synthetic_document(30))
    studio.page.set_viewport_size({"width": 800, "height": 900})
    studio.log_in(owner.username, PASSWORD)
    _open(studio, workflow)
    page = studio.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    for selector in ("#canvas", "#editor-palette", "#inspector", "#editor-toolbar"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 800, selector
    studio.shot("800px")
    assert studio.errors == []


def test_a_container_folds_into_a_card_and_stays_folded_for_this_browser(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    studio.log_in(owner.username, PASSWORD)
    _open(studio, workflow)
    page = studio.page
    revisions = workflow.revisions.count()
    page.locator("[data-fold=build]").click()
    expect(page.locator("#node-build.is-folded")).to_be_visible()
    expect(page.locator("#node-compile")).to_have_count(0)
    studio.shot("folded")
    page.reload()
    expect(page.locator("#node-build.is-folded")).to_be_visible()  # the cookie keeps the view
    page.locator("[data-fold=build]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#node-compile")).to_be_visible()
    expect(page.locator("#node-build.is-folded")).to_have_count(0)
    assert workflow.revisions.count() == revisions  # folding is a view, not an edit
    assert studio.errors == []
