"""Input fields edited as a small form in the browser (issue 17 item 4): add a row, fill it, save, see it stored.

The Add and Remove buttons re-draw the inspector through the preview
(htmx, no script of ours); a refused default comes back in its row with
what was typed still in the inputs.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_project, make_user, make_workflow_from_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UI = 10_000  # ms: other helpers' servers and browsers share the machine


def test_an_input_field_added_in_its_row_is_saved_and_a_bad_default_is_pinned_to_the_row(studio):
    owner = make_user()
    workflow = make_workflow_from_document(make_project(owner))
    studio.log_in(owner.username, PASSWORD)
    studio.go("workflows:editor", workflow.project.slug, workflow.identifier)
    page = studio.page
    page.click("#node-start")
    inspector = page.locator("#inspector")
    expect(inspector.locator("h2 code")).to_have_text("start", timeout=UI)
    rows = inspector.locator("div.input-row")
    before = rows.count()

    inspector.get_by_role("button", name="Add field").click()
    expect(rows).to_have_count(before + 1, timeout=UI)
    row = rows.nth(before)
    row.get_by_label(f"Name of field {before + 1}").fill("count")
    row.get_by_label(f"Type of field {before + 1}").select_option("int")
    row.get_by_label(f"Default of field {before + 1}").fill("three")
    inspector.get_by_role("button", name="Save").click()
    expect(row.locator(".field-error")).to_contain_text("the default is not valid JSON", timeout=UI)
    expect(row.get_by_label(f"Name of field {before + 1}")).to_have_value("count")
    row.scroll_into_view_if_needed()
    studio.shot("refused-default")

    row.get_by_label(f"Default of field {before + 1}").fill("3")
    inspector.get_by_role("button", name="Save").click()
    expect(inspector).to_contain_text("Saved.", timeout=UI)
    fields = workflow.nodes.get(key="start").config["input_fields"]
    assert fields[-1] == {"name": "count", "type": "int", "required": False, "default": 3}
    studio.shot("saved")

    inspector.get_by_role("button", name=f"Remove field {before + 1} (count)").click()
    expect(rows).to_have_count(before, timeout=UI)
    inspector.get_by_role("button", name="Save").click()
    expect(inspector).to_contain_text("Saved.", timeout=UI)
    assert [f["name"] for f in workflow.nodes.get(key="start").config["input_fields"]] == [
        f["name"] for f in fields[:-1]
    ]
    # The one refused save (422) is the console's only complaint.
    assert [e for e in studio.errors if "422" not in e] == []
    assert len(studio.errors) == 1
