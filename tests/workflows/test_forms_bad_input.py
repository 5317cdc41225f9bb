"""Hostile input through the HTML forms comes back as the form with a message and writes nothing.

The editor's inspector and palette, the run-start and signal forms and the
New workflow form; admin's node form is covered with the other admin
messages in test_admin.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.workflows.editor_support import client_for, htmx, url
from workflows.models import Node, Revision, Workflow

DEEP_JSON = "[" * 5000 + "]" * 5000


def graph_state() -> tuple:
    return (
        Workflow.objects.count(),
        Revision.objects.count(),
        tuple(Workflow.objects.order_by("pk").values_list("version", flat=True)),
        tuple(Node.objects.order_by("pk").values_list("label", "config")),
    )


@pytest.fixture
def editor(team):
    return client_for(team.user("editor"))


INSPECTOR = [
    pytest.param("queue", {"cfg-initial": DEEP_JSON}, "Initial is nested deeper than 64 levels", id="deep-json"),
    pytest.param("queue", {"cfg-initial": "[1, NaN]"}, "Initial NaN is not a number JSON allows", id="nan"),
    pytest.param("queue", {"cfg-initial": "[Infinity]"}, "Initial Infinity is not a number", id="infinity"),
    pytest.param("queue", {"cfg-initial": '["\\ud800"]'}, "contains a lone surrogate (U+D800)", id="surrogate"),
    pytest.param("queue", {"cfg-initial": '{"a\\u0000": 1}'}, "a key contains a NUL character", id="nul-key"),
    pytest.param("queue", {"cfg-initial": "1" * 5000}, "Initial is not valid JSON", id="5000-digits"),
    pytest.param("queue", {"label": "Queue\x00"}, "contains a NUL character", id="nul-label"),
    pytest.param(
        "start",
        {"cfg-input_fields": "[" * 70 + "]" * 70},
        "Input fields is nested deeper than 64 levels",
        id="deep-input-fields",
    ),
    pytest.param(
        "compile",
        {"cfg-start_to_close_timeout": "1e20"},
        "must be between 0.001 and 315360000",
        id="timeout-1e20",
    ),
    pytest.param("compile", {"cfg-start_to_close_timeout": "inf"}, "must be a finite number", id="timeout-inf"),
    pytest.param("compile", {"cfg-start_to_close_timeout": "9" * 400}, "must be a number", id="timeout-400-digits"),
    pytest.param(
        "compile",
        {"cfg-retry-initial_interval": "1e20"},
        "initial_interval must be between 0.001 and 315360000",
        id="retry-interval",
    ),
    pytest.param("build", {"cfg-max_attempts": "9" * 400}, "must be a whole number", id="attempts-400-digits"),
    pytest.param("build", {"cfg-max_interval": "NaN"}, "must be a finite number", id="retry-block-nan"),
    pytest.param("build", {"cfg-multiplier": "1e400"}, "must be a finite number", id="multiplier-overflow"),
]
SAVED = {
    "queue": {"label": "Queue", "cfg-name": "queue", "cfg-type": "list"},
    "start": {"label": "Start", "cfg-trigger": "manual"},
    "compile": {"label": "Compile", "cfg-activity": "build_package", "cfg-start_to_close_timeout": "60"},
    "build": {"label": "Build", "cfg-backoff": "exponential", "cfg-max_attempts": "3", "cfg-on_exhausted": "fail"},
}


@pytest.mark.parametrize("key,values,message", INSPECTOR)
def test_the_inspector_answers_hostile_values_on_the_field_and_saves_nothing(team, editor, key, values, message):
    before = graph_state()
    data = {"version": 1, "node": key, **SAVED[key], **values}
    response = htmx(editor, "post", url(team.workflow, "editor-node-update"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert graph_state() == before


def test_the_palette_refuses_a_label_with_nul(team, editor):
    before = graph_state()
    data = {"version": 1, "type": "timer", "label": "Nap\x00"}
    response = htmx(editor, "post", url(team.workflow, "editor-node-add"), data)
    assert response.status_code == 422 and "contains a NUL character" in response.content.decode()
    assert graph_state() == before


def runs_url(team, name: str, *args) -> str:
    return reverse(f"workflows:{name}", args=(team.project.slug, *args))


RUN_INPUTS = [
    pytest.param(DEEP_JSON, "input: is nested deeper than 64 levels", id="deep"),
    pytest.param('{"package": NaN}', "input: NaN is not a number JSON allows", id="nan"),
    pytest.param('{"package": "\\udc00"}', "input: at [&#x27;package&#x27;]: contains a lone surrogate", id="lone"),
    pytest.param('{"package": "a\\u0000"}', "contains a NUL character", id="nul"),
]


@pytest.mark.parametrize("text,message", RUN_INPUTS)
def test_the_run_form_answers_hostile_input_before_anything_starts(team, editor, text, message):
    response = htmx(editor, "post", runs_url(team, "run-start", "package-build"), {"input": text})
    assert response.status_code == 422
    assert message in response.content.decode()


@pytest.mark.parametrize("text,message", RUN_INPUTS)
def test_the_signal_form_answers_a_hostile_payload_before_anything_is_sent(team, editor, text, message):
    data = {"signal": "add", "payload": text}
    response = htmx(editor, "post", runs_url(team, "run-signal", "some-run"), data)
    assert response.status_code == 400
    assert message.replace("input:", "payload:") in response.content.decode()


NEW_WORKFLOWS = [
    pytest.param({"identifier": "import"}, "is a Python keyword", id="keyword"),
    pytest.param({"identifier": "package_build"}, "would share one generated Python module", id="clash"),
    pytest.param({"identifier": "nightly", "name": "Night\x00ly"}, "Null characters are not allowed", id="nul"),
    pytest.param({"identifier": "n" * 81}, "at most 80 characters", id="too-long"),
]


@pytest.mark.parametrize("data,message", NEW_WORKFLOWS)
def test_the_new_workflow_form_answers_with_a_field_message_and_creates_nothing(team, editor, data, message):
    before = graph_state()
    response = editor.post(reverse("workflows:create", args=[team.project.slug]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert graph_state() == before


@pytest.mark.parametrize("version", ["9" * 30, "9" * 5000, "²"])
def test_an_editor_form_version_no_workflow_can_have_is_refused_as_stale(team, editor, version):
    before = graph_state()
    data = {"version": version, "type": "timer", "label": "Nap"}
    response = htmx(editor, "post", url(team.workflow, "editor-node-add"), data)
    assert response.status_code == 409
    assert graph_state() == before


@pytest.mark.parametrize("index", ["9" * 30, "9" * 5000, "²"])
def test_the_expression_check_ignores_a_row_index_that_is_no_row(team, editor, index):
    path = url(team.workflow, "editor-expression") + f"?node=exists&field=expression&input=cfg-expression&index={index}"
    response = htmx(editor, "post", path, {"cfg-expression": "exists['ok']"})
    assert response.status_code == 200


@pytest.mark.parametrize("suffix", ["?node=queue%00", "?%00=1", "%00/"])
def test_a_nul_in_the_address_is_a_400_before_any_view_looks_it_up(team, editor, suffix):
    """PostgreSQL refuses NUL in a lookup (a 500 from the view); the middleware answers first."""
    workflow = team.project.workflows.get()
    response = editor.get(url(workflow, "editor-inspector") + suffix)
    assert response.status_code == 400
    assert b"NUL character" in response.content
    assert editor.get(url(workflow, "editor-inspector") + "?node=queue").status_code == 200
