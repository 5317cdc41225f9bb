"""Input fields and payloads as small forms (issue 17 item 4), and the expression autocomplete (item 5).

One row per field (name, type, required, default, description), add and
remove through the preview (nothing saved), messages pinned to the row,
everything typed kept on a refusal, the JSON as an advanced view; the
datalist offers the names the validator accepts at that node.
"""

from __future__ import annotations

import re

import pytest

from tests.workflows.editor_support import client_for, htmx, url
from workflows.models import Revision

pytestmark = pytest.mark.django_db

ROWS = "cfg-input_fields"


def _start_post(rows: list[dict], **extra) -> dict:
    """The start node's inspector form as the browser posts it: the rows, and the JSON view left as drawn."""
    data = {
        "version": 1,
        "node": "start",
        "label": "Start",
        "cfg-trigger": "manual",
        f"{ROWS}-rows": str(len(rows)),
        f"{ROWS}-json-was": "[]",
        ROWS: "[]",
    }
    for part in ("name", "type", "default", "description"):
        data[f"{ROWS}-{part}"] = [row.get(part, "") for row in rows]
    data[f"{ROWS}-required"] = [str(i) for i, row in enumerate(rows) if row.get("required")]
    return {**data, **extra}


def _row(html: str, index: int) -> str:
    """The markup of one row (up to the next row or the Add button)."""
    start = html.index(f'id="field-input_fields-row-{index}"')
    ends = [html.find(marker, start + 1) for marker in ('<div class="input-row', 'id="field-input_fields-add"')]
    return html[start : min(end for end in ends if end > 0)]


def _inspector(html: str) -> str:
    return html.split('id="inspector"')[1].split("</section>")[0]


@pytest.fixture
def editor(team):
    return client_for(team.user("editor"))


def test_the_start_node_shows_one_row_per_input_field_and_the_json_as_an_advanced_view(team, editor):
    html = _inspector(htmx(editor, "get", url(team.workflow, "editor-inspector"), {"node": "start"}).content.decode())
    row = _row(html, 0)
    assert 'name="cfg-input_fields-name" value="package"' in row
    assert '<option value="str" selected>' in row
    assert 'name="cfg-input_fields-required" value="0" checked' in row
    assert 'aria-label="Remove field 1 (package)"' in row
    assert 'id="field-input_fields-add"' in html and "<summary>JSON (advanced)</summary>" in html
    assert "&quot;name&quot;: &quot;package&quot;" in html  # the JSON view holds the same list


def test_add_and_remove_redraw_the_rows_without_saving_and_keep_what_was_typed(team, editor):
    rows = [{"name": "package", "type": "str", "required": True}, {"name": "count", "type": "int", "default": "3"}]
    preview = url(team.workflow, "editor-inspector-preview")
    added = htmx(editor, "post", preview, _start_post(rows, **{f"{ROWS}-add": "1"}))
    html = _inspector(added.content.decode())
    assert added.status_code == 200
    assert html.count('<div class="input-row') == 3
    assert 'name="cfg-input_fields-default" value="3"' in _row(html, 1)
    assert 'name="cfg-input_fields-name" value=""' in _row(html, 2)
    removed = htmx(editor, "post", preview, _start_post(rows, **{f"{ROWS}-remove": "0"}))
    html = _inspector(removed.content.decode())
    assert html.count('<div class="input-row') == 1
    assert 'name="cfg-input_fields-name" value="count"' in _row(html, 0)
    assert Revision.objects.filter(workflow=team.workflow).count() == 1
    assert team.workflow.nodes.get(key="start").config["input_fields"][0]["name"] == "package"


def test_saving_the_rows_stores_typed_fields(team, editor):
    rows = [
        {"name": "package", "type": "str", "required": True, "description": "what to build"},
        {"name": "count", "type": "int", "default": "3"},
        {"name": "target", "type": "str", "default": "main"},
        {},  # a row added and left empty is skipped
    ]
    response = htmx(editor, "post", url(team.workflow, "editor-node-update"), _start_post(rows))
    assert response.status_code == 200, response.content.decode()
    assert team.workflow.nodes.get(key="start").config["input_fields"] == [
        {"name": "package", "type": "str", "required": True, "description": "what to build"},
        {"name": "count", "type": "int", "required": False, "default": 3},
        {"name": "target", "type": "str", "required": False, "default": "main"},
    ]


def test_row_errors_are_pinned_to_their_rows_and_nothing_typed_is_lost(team, editor):
    rows = [
        {"name": "package", "type": "str"},
        {"name": "2nd", "type": "str", "description": "typed text"},
        {"name": "package", "type": "int"},
        {"name": "count", "type": "int", "default": "three"},
        {"name": "ratio", "type": "float", "default": '"half"'},
    ]
    response = htmx(editor, "post", url(team.workflow, "editor-node-update"), _start_post(rows))
    assert response.status_code == 422
    html = _inspector(response.content.decode())
    assert "Not saved: fix the fields marked below." in html
    assert "field-error" not in _row(html, 0)
    assert "&#x27;2nd&#x27; is not a valid field name" in _row(html, 1)
    assert 'value="typed text"' in _row(html, 1)
    assert "field &#x27;package&#x27; is declared twice" in _row(html, 2)
    assert "the default is not valid JSON" in _row(html, 3) and 'value="three"' in _row(html, 3)
    assert "the default must be a number, not text" in _row(html, 4)
    assert Revision.objects.filter(workflow=team.workflow).count() == 1


def test_changed_json_in_the_advanced_view_wins_over_the_rows(team, editor):
    typed = '[{"name": "size", "type": "int", "required": true}]'
    data = _start_post([{"name": "package", "type": "str"}], **{ROWS: typed})
    response = htmx(editor, "post", url(team.workflow, "editor-node-update"), data)
    assert response.status_code == 200, response.content.decode()
    assert team.workflow.nodes.get(key="start").config["input_fields"] == [
        {"name": "size", "type": "int", "required": True}
    ]


def test_bad_json_in_the_advanced_view_comes_back_open_with_its_message(team, editor):
    data = _start_post([{"name": "package", "type": "str"}], **{ROWS: '[{"name": "x"'})
    response = htmx(editor, "post", url(team.workflow, "editor-node-update"), data)
    assert response.status_code == 422
    html = _inspector(response.content.decode())
    assert "<details open>" in html and "Input fields is not valid JSON" in html
    assert "[{&quot;name&quot;: &quot;x&quot;</textarea>" in html


@pytest.mark.parametrize(("key", "field"), [("on-add", "payload_fields"), ("on-add-update", "input_fields")])
def test_signal_and_update_payloads_are_edited_as_rows_too(team, editor, key, field):
    if key == "on-add-update":
        team.workflow.nodes.create(key=key, type="update_handler", label="Add update", config={"name": "add_item"})
    name = f"cfg-{field}"
    data = {
        "version": team.workflow.version,
        "node": key,
        "label": "Handler",
        f"{name}-rows": "1",
        f"{name}-name": ["item"],
        f"{name}-type": ["dict"],
        f"{name}-default": ["{}"],
        f"{name}-description": [""],
        f"{name}-required": ["0"],
    }
    if key == "on-add":
        data.update({"cfg-signal": "add", "cfg-actions": '[{"op": "append", "var": "queue", "value": "payload"}]'})
    else:
        data.update({"cfg-name": "add_item"})
    response = htmx(editor, "post", url(team.workflow, "editor-node-update"), data)
    assert response.status_code == 200, response.content.decode()
    saved = team.workflow.nodes.get(key=key).config[field]
    assert saved == [{"name": "item", "type": "dict", "required": True, "default": {}}]
    html = _inspector(response.content.decode())
    assert f'name="{name}-name" value="item"' in html


def _datalist(html: str, dom_id: str) -> list[str]:
    block = html.split(f'<datalist id="names-{dom_id}">')[1].split("</datalist>")[0]
    return re.findall(r'<option value="([^"]*)">', block)


def test_the_autocomplete_offers_the_names_in_scope_inside_a_container_and_at_top_level(team, editor):
    inside = htmx(editor, "get", url(team.workflow, "editor-inspector"), {"node": "compile"}).content.decode()
    names = _datalist(inside, "field-args")
    assert {"input.package", "exists", "queue", "attempt", "last_error", "len(", "get("} <= set(names)
    assert 'list="names-field-args"' in inside
    top = htmx(editor, "get", url(team.workflow, "editor-inspector"), {"node": "exists"}).content.decode()
    names = _datalist(top, "field-expression")
    assert {"input.package", "exists", "queue", "len("} <= set(names)
    assert not {"attempt", "last_error", "input"} & set(names)
    # One source: every name offered is one the inline check accepts there.
    for source in (name for name in names if not name.endswith("(")):
        check = htmx(
            editor,
            "post",
            url(team.workflow, "editor-expression") + "?node=exists&field=expression&input=e",
            {"e": source},
        )
        assert check.status_code == 200, (source, check.content.decode())


def test_hostile_rows_come_back_as_messages_not_errors(team, editor):
    data = _start_post(
        [{"name": "a", "type": "bogus"}, {"name": "b", "type": "int", "default": "1" * 5000}],
        **{f"{ROWS}-remove": "x", f"{ROWS}-required": ["7", "-1", "zero"], f"{ROWS}-description": ["d\x00"]},
    )
    response = htmx(editor, "post", url(team.workflow, "editor-node-update"), data)
    assert response.status_code == 422
    html = _inspector(response.content.decode())
    assert "type must be one of str, int" in _row(html, 0)
    assert "the default is not valid JSON" in _row(html, 1)
    assert Revision.objects.filter(workflow=team.workflow).count() == 1
