"""Direct manipulation in the editor (issue 17 item 1): connect by dragging a port, insert on an edge,
add after, delete with reconnect, copy and paste with the keyboard, the shortcut list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_project, make_user, make_workflow_from_document, sample_document
from workflows.graph_edits import edge_insert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONLY_START = {
    "format": "workflow-studio/v1",
    "identifier": "empty",
    "nodes": [{"key": "start", "type": "start", "label": "Start", "config": {"trigger": "manual"}}],
    "edges": [],
}


def open_editor(studio, workflow, user) -> object:
    studio.log_in(user.username, PASSWORD)
    studio.go("workflows:editor", workflow.project.slug, workflow.identifier)
    page = studio.page
    page.locator("#canvas svg.canvas-svg").wait_for()
    return page


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def edge_midpoint(page, source: str, target: str) -> tuple[float, float]:
    """A point on the drawn edge (its path's middle) in page coordinates."""
    return page.evaluate(
        """([s, t]) => {
            const path = document.querySelector(`.edge[data-source="${s}"][data-target="${t}"] .edge-hit`);
            const p = path.getPointAtLength(path.getTotalLength() / 2);
            const m = path.getScreenCTM();
            return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f];
        }""",
        [source, target],
    )


def drag(page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=5)
    page.mouse.up()


def edges_of(workflow) -> set[str]:
    return {str(edge) for edge in workflow.edges.select_related("source", "target")}


def test_connect_by_dragging_a_port_or_clicking_it_then_the_target(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    page = open_editor(studio, workflow, owner)
    page.click("#editor-palette button[value=timer]")
    expect(page.locator("#node-timer")).to_be_visible()

    drag(page, centre(page.locator('[data-node="timer"][data-port="next"]')), centre(page.locator("#node-done")))
    expect(page.locator("#inspector")).to_contain_text("Connected timer -next-> done.")
    expect(page.locator('.edge[data-source="timer"][data-target="done"]')).to_have_count(1)
    assert "timer -next-> done" in edges_of(workflow)

    page.click("#editor-palette button[value=timer]")
    expect(page.locator("#node-timer-2")).to_be_visible()
    page.locator('[data-node="timer-2"][data-port="next"]').click()
    expect(page.locator(".connect-banner")).to_contain_text("Click the target of the next edge from timer-2")
    page.locator("#node-done").click()
    expect(page.locator(".edge[data-source='timer-2'][data-target='done']")).to_have_count(1)
    assert "timer-2 -next-> done" in edges_of(workflow)
    assert studio.errors == []


def test_drop_a_palette_item_on_an_edge_or_a_node(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    page = open_editor(studio, workflow, owner)
    timer = centre(page.locator("#editor-palette button[value=timer]"))
    drag(page, timer, edge_midpoint(page, "exists", "done"))
    expect(page.locator("#editor-messages")).to_contain_text("Inserted Timer 'Timer' between exists and done.")
    assert {"exists -false-> timer", "timer -next-> done"} <= edges_of(workflow)
    assert "exists -false-> done" not in edges_of(workflow)
    expect(page.locator("#inspector-title")).to_contain_text("Timer")

    drag(page, centre(page.locator("#editor-palette button[value=timer]")), centre(page.locator("#node-done")))
    expect(page.locator("#editor-messages")).to_contain_text("Not added")  # an end node has nothing after it
    drag(page, centre(page.locator("#editor-palette button[value=timer]")), centre(page.locator("#node-timer")))
    expect(page.locator("#editor-messages")).to_contain_text("Added Timer 'Timer' after 'timer' (next), before 'done'.")
    assert {"timer -next-> timer-2", "timer-2 -next-> done"} <= edges_of(workflow)


def test_a_new_user_builds_a_flow_with_add_after_and_deletes_with_reconnect(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner), ONLY_START)
    page = open_editor(studio, workflow, owner)
    page.locator("#node-start").click()
    for type_name, title in (("activity", "Activity"), ("timer", "Timer"), ("end", "End")):
        page.select_option("#add-after-type", type_name)
        page.locator("form.add-after button[type=submit]").click()
        expect(page.locator("#inspector-title")).to_contain_text(title)
    assert edges_of(workflow) == {"start -next-> activity", "activity -next-> timer", "timer -next-> end"}

    page.locator("#node-timer").click()
    expect(page.locator("#inspector-title")).to_contain_text("Timer")
    page.keyboard.press("Delete")  # the confirmation is accepted by the fixture
    expect(page.locator("#editor-messages")).to_contain_text(
        "Deleted 'timer' and connected activity -next-> end. Undo brings it back."
    )
    expect(page.locator('.edge[data-source="activity"][data-target="end"]')).to_have_count(1)
    assert edges_of(workflow) == {"start -next-> activity", "activity -next-> end"}
    assert studio.errors == []


def test_copy_and_paste_with_the_keyboard_within_and_across_workflows(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    other = make_workflow_from_document(make_project(owner, name="Elsewhere"), sample_document("elsewhere"))
    edge_insert(
        workflow=workflow,
        user=owner,
        expected_version=1,
        source_key="start",
        target_key="prepare",
        kind="next",
        type="timer",
        label="Pause",
        config={"duration": "1"},
    )
    page = open_editor(studio, workflow, owner)
    page.keyboard.press("?")
    expect(page.locator(".shortcut-help-panel")).to_be_visible()
    expect(page.locator(".shortcut-help-panel")).to_contain_text("Copy the inspected node")
    page.keyboard.press("?")
    expect(page.locator(".shortcut-help-panel")).to_be_hidden()

    page.locator("#node-build").click()
    expect(page.locator("#inspector-title")).to_contain_text("Retry")
    page.keyboard.press("Control+c")
    expect(page.locator("#editor-messages")).to_contain_text("Copied 3 nodes")
    page.keyboard.press("Control+v")
    expect(page.locator("#editor-messages")).to_contain_text("Pasted 3 nodes (build-2, compile-2, fix-2)")
    expect(page.locator("#node-compile-2")).to_be_visible()

    page.click("[data-zoom=fit]")
    page.locator("#node-pause").click(modifiers=["Shift"])
    page.locator("#node-exists").click(modifiers=["Shift"])
    expect(page.locator(".node.is-picked")).to_have_count(2)
    page.locator("#node-prepare .container-label").click()
    expect(page.locator("#inspector-title")).to_contain_text("prepare")
    page.keyboard.press("Control+c")
    expect(page.locator("#editor-messages")).to_contain_text("Copied 4 nodes")

    studio.go("workflows:editor", other.project.slug, other.identifier)
    page.locator("#canvas svg.canvas-svg").wait_for()
    page.locator("#editor-canvas").focus()
    page.keyboard.press("Control+v")
    expect(page.locator("#editor-messages")).to_contain_text("Pasted 4 nodes")
    assert {"pause", "prepare-2", "check-2", "exists-2"} <= set(other.nodes.values_list("key", flat=True))
    assert {"pause -next-> prepare-2", "prepare-2 -next-> exists-2"} <= edges_of(other)
    assert studio.errors == []
