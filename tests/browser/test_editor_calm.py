"""The editor stays still under the cursor (issue 17 item 4): a notice floats over the page, "Into" keeps its choice."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_project, make_user, make_workflow_from_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STILL = ("#canvas", "#editor-palette", "#inspector", "#editor-palette button[value=timer]")


def _boxes(page) -> dict[str, dict]:
    return {selector: page.locator(selector).bounding_box() for selector in STILL}


def test_adding_a_node_shows_a_notice_that_moves_nothing_and_keeps_into(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    page = studio.open_editor(owner, workflow)
    page.select_option("#palette-container", "prepare:body")
    before = _boxes(page)

    page.click("#editor-palette button[value=state]")
    notice = page.locator("#editor-messages .notice")
    expect(notice).to_contain_text("Added State")
    studio.shot("notice")
    assert _boxes(page) == before
    assert page.locator("#editor-messages").evaluate("e => getComputedStyle(e).position") == "fixed"
    assert page.locator("#palette-container").input_value() == "prepare:body"

    # A second add from the same button lands in the same container: nothing moved, the choice held.
    page.click("#editor-palette button[value=timer]")
    expect(notice).to_contain_text("Added Timer")
    assert workflow.nodes.filter(parent__key="prepare", type__in=("state", "timer")).count() == 2
    assert _boxes(page) == before
    assert studio.errors == []
