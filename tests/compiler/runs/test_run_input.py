"""Run input (issue 18 item 6): a required text field refuses "" and blanks, unless it declares allow_empty."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compiler.runs.control import check_fields, start_run
from tests.compiler.run_documents import greeter_document
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.editor_support import client_for, htmx
from workflows.node_types.fields import clean_input_fields

FIELDS = clean_input_fields(
    [
        {"name": "build_id", "type": "str", "required": True},
        {"name": "note", "type": "str", "required": True, "allow_empty": True},
        {"name": "label", "type": "str"},
    ]
)


@pytest.mark.parametrize("empty", ["", "   "])
def test_a_required_text_field_refuses_an_empty_value_naming_the_field(empty):
    with pytest.raises(ValidationError) as refused:
        check_fields(FIELDS, {"build_id": empty, "note": "", "label": ""}, what="input")
    assert refused.value.message_dict == {"build_id": ["is required and must not be empty"]}


def test_allow_empty_and_optional_text_fields_take_an_empty_value():
    check_fields(FIELDS, {"build_id": "b-1", "note": "", "label": ""}, what="input")
    assert {f["name"]: f.get("allow_empty", False) for f in FIELDS} == {
        "build_id": False,
        "note": True,
        "label": False,
    }


def test_the_run_form_names_the_empty_field(db):
    project = make_project(make_user(), name="Empty Input")
    make_workflow_from_document(project, greeter_document())
    with pytest.raises(ValidationError) as refused:
        start_run(project, "greeter", {"name": ""})
    assert refused.value.message_dict == {"name": ["is required and must not be empty"]}

    url = reverse("workflows:run-start", args=(project.slug, "greeter"))
    answer = htmx(client_for(project.owner), "post", url, {"input": '{"name": ""}'})
    assert answer.status_code == 422
    assert "name: is required and must not be empty" in answer.content.decode()
