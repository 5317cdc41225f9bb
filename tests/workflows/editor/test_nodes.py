"""Editor node edits: add from the palette, save the inspector, move, delete; field errors come back as 422."""

from __future__ import annotations

import pytest

from tests.workflows.editor_support import client_for, htmx, url

pytestmark = pytest.mark.django_db


def _regions(html: str) -> set[str]:
    regions = ("canvas", "inspector", "diagnostics", "editor-toolbar", "editor-palette", "editor-messages")
    return {r for r in regions if f'id="{r}"' in html and 'hx-swap-oob="true"' in html}


def test_palette_adds_a_node_into_the_chosen_container_and_inspects_it(team):
    client = client_for(team.user("editor"))
    response = htmx(
        client,
        "post",
        url(team.workflow, "editor-node-add"),
        {"type": "agent", "into": "build:remediation", "version": 1},
    )
    assert response.status_code == 200
    node = team.workflow.nodes.get(type="agent", key="agent")
    assert (node.parent.key, node.slot) == ("build", "remediation")
    html = response.content.decode()
    assert _regions(html) == {
        "canvas",
        "inspector",
        "diagnostics",
        "editor-toolbar",
        "editor-palette",
        "editor-messages",
    }
    assert 'id="node-agent"' in html and "is-selected" in html
    assert "Agent <code>agent</code>" in html


def test_palette_rejects_an_unknown_type_with_422(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-add"),
        {"type": "teleport", "version": 1},
    )
    assert response.status_code == 422
    assert "Choose a node type" in response.content.decode()


def test_inspector_save_changes_label_and_config(team):
    client = client_for(team.user("editor"))
    response = htmx(
        client,
        "post",
        url(team.workflow, "editor-node-update"),
        {
            "version": 1,
            "node": "exists",
            "label": "Code exists?",
            "cfg-expression": "exists['code_exists']",
        },
    )
    assert response.status_code == 200
    node = team.workflow.nodes.get(key="exists")
    assert node.label == "Code exists?"
    assert node.config == {"expression": "exists['code_exists']"}
    assert "Saved." in response.content.decode()


def test_inspector_save_keeps_the_input_and_shows_field_errors_on_bad_input(team):
    client = client_for(team.user("editor"))
    response = htmx(
        client,
        "post",
        url(team.workflow, "editor-node-update"),
        {
            "version": 1,
            "node": "build",
            "label": "Build",
            "cfg-max_attempts": "0",
            "cfg-backoff": "exponential",
            "cfg-initial_interval": "1",
            "cfg-multiplier": "2",
            "cfg-max_interval": "60",
            "cfg-on_exhausted": "fail",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Max attempts must be between 1 and 1000000" in html
    assert 'name="cfg-max_attempts" value="0"' in html  # what the user typed is still there
    team.workflow.refresh_from_db()
    assert team.workflow.version == 1 and team.workflow.nodes.get(key="build").config["max_attempts"] == 3


def test_inspector_reports_json_syntax_errors_on_the_field(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-update"),
        {
            "version": 1,
            "node": "queue",
            "label": "Queue",
            "cfg-name": "queue",
            "cfg-type": "list",
            "cfg-initial": "[1, 2",
        },
    )
    assert response.status_code == 422
    assert "Initial is not valid JSON" in response.content.decode()


def test_activity_inspector_offers_registered_activities_and_their_arguments(team):
    response = htmx(client_for(team.user("editor")), "get", url(team.workflow, "editor-inspector"), {"node": "check"})
    html = response.content.decode()
    assert '<option value="http_request">' in html
    assert 'value="check_package_exists" selected' in html
    assert 'name="cfg-retry-preset"' in html and "keep trying" in html


def test_retry_preset_replaces_the_policy(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-update"),
        {
            "version": 1,
            "node": "compile",
            "label": "Compile",
            "cfg-activity": "build_package",
            "cfg-start_to_close_timeout": "60",
            "cfg-retry-preset": "fail after 3",
        },
    )
    assert response.status_code == 200
    policy = team.workflow.nodes.get(key="compile").config["retry"]
    assert policy["max_attempts"] == 3 and policy["maximum_interval"] is None


def test_argument_rows_become_the_args_map(team):
    htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-update"),
        {
            "version": 1,
            "node": "check",
            "label": "Check",
            "cfg-activity": "check_package_exists",
            "cfg-args-key": ["package_name", "workspace_root", ""],
            "cfg-args-value": ["input.package", "'/w'", ""],
            "cfg-start_to_close_timeout": "30",
        },
    )
    config = team.workflow.nodes.get(key="check").config
    assert config["args"] == {"package_name": "input.package", "workspace_root": "'/w'"}
    assert config["start_to_close_timeout"] == 30.0


def test_move_puts_a_node_in_another_container_and_drops_its_edges(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-move"),
        {"version": 1, "node": "exists", "container": "prepare:body"},
    )
    assert response.status_code == 200
    node = team.workflow.nodes.get(key="exists")
    assert node.parent.key == "prepare"
    assert not team.workflow.edges.filter(source=node).exists()


def test_move_into_itself_is_refused_with_422(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-move"),
        {"version": 1, "node": "build", "container": "build:body"},
    )
    assert response.status_code == 422
    assert "is inside itself: its containers form a loop" in response.content.decode()


def test_delete_removes_a_container_with_its_children_and_edges(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-node-delete"),
        {"version": 1, "node": "build"},
    )
    assert response.status_code == 200
    keys = set(team.workflow.nodes.values_list("key", flat=True))
    assert not {"build", "compile", "fix"} & keys
    assert not team.workflow.edges.filter(target__key="done", source__key="build").exists()
    assert 'id="node-build"' not in response.content.decode()


def test_picking_another_activity_shows_its_arguments_without_saving(team):
    response = htmx(
        client_for(team.user("editor")),
        "post",
        url(team.workflow, "editor-inspector-preview"),
        {
            "node": "check",
            "label": "Check (typed)",
            "cfg-activity": "http_request",
            "cfg-start_to_close_timeout": "5",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="cfg-args-key" value="url"' in html and 'name="cfg-args-key" value="method"' in html
    assert 'value="Check (typed)"' in html and 'name="cfg-start_to_close_timeout" value="5"' in html
    team.workflow.refresh_from_db()
    assert team.workflow.version == 1
