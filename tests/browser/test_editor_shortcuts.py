"""Editor keyboard shortcuts (issue 17): Delete, Ctrl+Z, Ctrl+Shift+Z and Escape run the editor's own requests."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_project, make_user, make_workflow_from_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delete_undo_redo_and_escape_from_the_keyboard(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    page = studio.open_editor(owner, workflow)
    page.click("#editor-palette button[value=timer]")
    expect(page.locator("#inspector-title")).to_contain_text("Timer")
    timers = workflow.nodes.filter(type="timer")
    assert timers.count() == 1

    page.keyboard.press("Delete")  # the confirmation is accepted by the fixture
    expect(page.locator("#editor-messages")).to_contain_text("Deleted 'timer'")
    assert timers.count() == 0
    page.keyboard.press("Control+z")
    expect(page.locator("#editor-messages")).to_contain_text("Undo: back to revision")
    assert timers.count() == 1
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("#editor-messages")).to_contain_text("Redo: back to revision")
    assert timers.count() == 0

    page.locator("#node-check").click()
    expect(page.locator("#inspector-title")).to_contain_text("Activity")
    page.keyboard.press("Escape")
    expect(page.locator("#inspector-title")).to_have_text("Inspector")
    # Typing in a field is left alone: Backspace edits the label, it does not delete the node.
    page.locator("#node-check").click()
    page.locator("#field-label").press("Backspace")
    assert workflow.nodes.filter(key="check").exists()
    assert studio.errors == []
