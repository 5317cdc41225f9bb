"""The run page's signal and update forms (issue 18 item 2): inputs generated from the declared payload fields,
refusals pinned to their field, the outcome of the last send shown in the form's own panel."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from compiler.runs.control import run_id_in, start_run
from compiler.runs.history import describe_run
from tests.compiler.runs.test_control import wait_until
from tests.compiler.runs.test_updates import orders  # noqa: F401 - the fixture
from tests.workflows.editor_support import client_for, htmx
from tests.workflows.run_support import start_worker, temporal_address  # noqa: F401 - fixtures
from workflows.runs.message_forms import PayloadErrors, message_form, payload_from

FIELDS = [
    {"name": "sku", "type": "str", "required": True},
    {"name": "quantity", "type": "int", "default": 1},
    {"name": "price", "type": "float"},
    {"name": "gift", "type": "bool"},
    {"name": "tags", "type": "list"},
]


def post(**values: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update({f"field-{name}": value for name, value in values.items()})
    return data


def test_typed_inputs_make_the_payload_and_empty_ones_are_left_to_the_defaults():
    payload = payload_from(FIELDS, post(sku="A-1", quantity="-3", price="2.5", gift="on", tags='["x"]'))
    assert payload == {"sku": "A-1", "quantity": -3, "price": 2.5, "gift": True, "tags": ["x"]}
    assert payload_from(FIELDS, post(sku="")) == {"sku": "", "gift": False}, "the service refuses the empty sku"
    assert payload_from([], post(sku="A")) is None, "a handler without fields is a plain button"


def test_each_value_that_does_not_parse_is_named_with_its_field():
    with pytest.raises(PayloadErrors) as refused:
        payload_from(FIELDS, post(sku="A\x00", quantity="two", price="1e999", tags="[x"))
    assert refused.value.errors == {
        "sku": "contains a NUL character (\\u0000), which cannot be stored",
        "quantity": "must be a whole number, not 'two'",
        "price": "must be a finite number",
        "tags": "is not valid JSON (line 1, column 2: Expecting value)",
    }


def test_the_label_is_said_once_and_only_when_it_says_more_than_the_name():
    assert message_form("signal", {"name": "drain", "label": "drain"}).title == ""
    assert message_form("update", {"name": "addItem", "label": "Add item"}).title == ""
    assert message_form("signal", {"name": "approve", "label": "Approve the order"}).title == "Approve the order"
    described = [*FIELDS[:1], {**FIELDS[1], "description": "How many of it"}, *FIELDS[2:]]
    form = message_form("update", {"name": "addItem", "label": "", "input_fields": described})
    assert form.inputs[1].description == "How many of it"
    assert [(i.name, i.widget, i.value) for i in form.inputs][:3] == [
        ("sku", "text", ""),
        ("quantity", "number", 1),
        ("price", "number", ""),
    ]


@pytest.mark.temporal
def test_update_forms_answer_in_place_with_field_messages_rejections_and_results(orders):  # noqa: F811
    project, editor_user, _ = orders
    editor = client_for(editor_user)
    start_run(project, "order", {}, workflow_id="order-9")
    workflow_id = run_id_in(project, "order-9")
    page = editor.get(reverse("workflows:run-detail", args=(project.slug, workflow_id))).content.decode()
    assert 'id="update-addItem"' in page and 'hx-target="this"' in page
    assert 'type="text" id="update-addItem-sku" name="field-sku"' in page
    assert 'type="number" id="update-addItem-quantity" name="field-quantity" value="1" step="1"' in page
    assert 'id="update-close"' in page and 'name="field-' not in page.split('id="update-close"')[1].split("</form>")[0]
    assert ">Update close</button>" in page and ">Update addItem</button>" in page
    url = reverse("workflows:run-update", args=(project.slug, workflow_id))

    def send(**data: str):
        response = htmx(editor, "post", url, {"update": "addItem", **data})
        return response.status_code, response.content.decode()

    status, body = send(**{"field-sku": "A-1", "field-quantity": "two"})
    assert status == 400 and body.startswith('<form class="run-message run-update" id="update-addItem"')
    assert 'id="error-update-addItem-quantity">must be a whole number, not &#x27;two&#x27;' in body
    assert 'value="A-1"' in body and 'value="two"' in body, "what was typed stays"
    status, body = send(**{"field-sku": "", "field-quantity": "2"})
    assert status == 400 and 'id="error-update-addItem-sku">is required and must not be empty' in body
    status, body = send(**{"field-sku": "A-1", "field-quantity": "0"})
    assert status == 400 and "Update &#x27;addItem&#x27; rejected: the order is closed or the quantity" in body
    status, body = send(**{"field-sku": "A-1", "field-quantity": "2"})
    assert status == 200 and "Update &#x27;addItem&#x27; returned 1." in body and 'value="A-1"' not in body
    closed = htmx(editor, "post", url, {"update": "close"})
    assert closed.status_code == 200 and 'id="update-close"' in closed.content.decode()

    finished = wait_until(lambda: (d := describe_run(project, "order-9")).status == "completed" and d)
    assert finished.result == {"lines": [{"sku": "A-1", "quantity": 2}]}


def test_refusals_of_typed_values_are_pinned_to_inputs_and_of_a_json_payload_said_in_the_form():
    typed = message_form("signal", {"name": "approve", "payload_fields": FIELDS[:1]})
    typed.errors_on({"sku": ["must be text, not int"], "signal": ["'x' is not a signal"]})
    assert (typed.inputs[0].error, typed.message) == ("must be text, not int", "'x' is not a signal")
    as_json = message_form("signal", {"name": "approve", "payload_fields": FIELDS[:1]})
    as_json.errors_on({"sku": ["must be text, not int"]}, pinned=False)
    assert (as_json.inputs[0].error, as_json.message, as_json.ok) == ("", "sku: must be text, not int", False)
