"""Keyboard users reach the canvas at once (issue 17 item 6): Tab to the skip link, Enter, Tab to a node."""

from __future__ import annotations

import pytest

from tests.factories import make_project, make_user, make_workflow_from_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, cls: document.activeElement.getAttribute('class') || ''})"
    )


def test_the_skip_link_takes_the_keyboard_to_the_first_node(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    page = studio.open_editor(owner, workflow)

    page.keyboard.press("Tab")
    assert _focused(page)["cls"] == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown while focused
    studio.shot("skip-link")
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "editor-canvas"
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["id"].startswith("node-") and "node" in focused["cls"].split()
    page.keyboard.press("Enter")
    page.locator("#inspector form[aria-label^='Settings of']").wait_for()
    assert studio.errors == []
