"""Calm editor feedback (issue 17 item 4): only the fields that apply, a kept "Into", a new activity without errors."""

from __future__ import annotations

import pytest

from tests.workflows.editor_support import client_for, htmx, url
from workflows.node_types import NODE_TYPES

pytestmark = pytest.mark.django_db

CRON_INPUTS = ("cfg-cron", "cfg-timezone", "cfg-overlap_policy", "cfg-cron_input", "cfg-workflow_id")


def _start_form(trigger: str) -> dict:
    return {"version": 1, "node": "start", "label": "Start", "cfg-trigger": trigger, "cfg-input_fields": "[]"}


def test_the_cron_fields_are_declared_as_data_on_the_start_type():
    shown_when = {f.name: f.shown_when for f in NODE_TYPES["start"].fields}
    assert {name for name, when in shown_when.items() if when == ("trigger", "cron")} == {
        name.removeprefix("cfg-") for name in CRON_INPUTS
    }


def test_a_manual_start_hides_the_schedule_fields_and_keeps_their_values(team):
    client = client_for(team.user("editor"))
    saved = team.workflow.nodes.get(key="start").config
    response = htmx(client, "post", url(team.workflow, "editor-node-update"), _start_form("manual"))
    assert response.status_code == 200, response.content.decode()
    html = response.content.decode()
    assert 'name="cfg-trigger"' in html and 'name="cfg-input_fields"' in html
    assert not [name for name in CRON_INPUTS if f'name="{name}"' in html]
    # The trigger re-renders the inspector when it changes, so the schedule fields can come back.
    assert 'id="field-trigger" name="cfg-trigger" hx-post=' in html
    config = team.workflow.nodes.get(key="start").config
    assert config["trigger"] == "manual"
    assert config["cron"] == saved["cron"] and config["timezone"] == saved["timezone"]


def test_choosing_cron_shows_the_schedule_fields_with_the_saved_values(team):
    client = client_for(team.user("editor"))
    htmx(client, "post", url(team.workflow, "editor-node-update"), _start_form("manual"))
    cron = team.workflow.nodes.get(key="start").config["cron"]
    preview = {**_start_form("cron"), "version": 2}
    html = htmx(client, "post", url(team.workflow, "editor-inspector-preview"), preview).content.decode()
    assert all(f'name="{name}"' in html for name in CRON_INPUTS)
    assert f'name="cfg-cron" value="{cron}"' in html


def test_into_keeps_its_choice_after_an_add_and_after_other_edits(team):
    client = client_for(team.user("editor"))
    added = htmx(
        client, "post", url(team.workflow, "editor-node-add"), {"type": "state", "into": "build:body", "version": 1}
    )
    assert added.status_code == 200
    assert team.workflow.nodes.get(type="state", parent__key="build").slot == "body"
    assert '<option value="build:body" selected>' in added.content.decode()
    # Any later request of the page carries the choice (hx-include on the editor), and the palette shows it again.
    opened = htmx(client, "get", url(team.workflow, "editor-inspector"), {"node": "start", "into": "build:body"})
    assert '<option value="build:body" selected>' in opened.content.decode()
    # A container that no longer exists falls back to the top level.
    gone = htmx(client, "get", url(team.workflow, "editor-inspector"), {"into": "nowhere:body"})
    assert '<option value="" selected>Top level</option>' in gone.content.decode()


@pytest.mark.parametrize(
    ("node_type", "config"),
    [
        ("activity", {"activity": "sleep", "args": {"seconds": "1"}}),
        ("map", {"items": "[]", "activity": "sleep", "args": {"seconds": "item"}}),
    ],
)
def test_a_new_activity_or_map_node_starts_without_field_errors(team, node_type, config):
    client = client_for(team.user("editor"))
    response = htmx(client, "post", url(team.workflow, "editor-node-add"), {"type": node_type, "version": 1})
    assert response.status_code == 200
    node = team.workflow.nodes.get(type=node_type, key=node_type)
    assert {name: node.config[name] for name in config} == config
    inspector = response.content.decode().split('id="inspector"')[1].split("</section>")[0]
    # Its only problem is that nothing leads to it yet; no setting is pinned with an error.
    assert "can never run" in inspector and "diagnostic-where" not in inspector
    assert "field-error" not in inspector
