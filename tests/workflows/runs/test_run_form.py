"""The run form (issue 18 item 6): prefilled from the start node's example input, which must fit the input fields."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from tests.compiler.run_documents import greeter_document
from tests.factories import make_project, make_user, make_workflow_from_document
from tests.workflows.editor_support import client_for, htmx
from workflows.services import DocumentInvalid


def greeter_with_example(example: dict) -> dict:
    document = greeter_document()
    document["nodes"][0]["config"]["example_input"] = example
    return document


def test_the_run_form_is_prefilled_with_the_example_over_the_fields_defaults(db, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"  # the runs list is away; the form is still offered
    owner = make_user()
    project = make_project(owner, name="Examples")
    make_workflow_from_document(project, greeter_with_example({"name": "Ada"}))
    page = html.unescape(
        client_for(owner).get(reverse("workflows:runs", args=(project.slug, "greeter"))).content.decode()
    )
    form = page.split('id="run-input"')[1].split("</textarea>")[0]
    assert '"name": "Ada"' in form and '"nap": 0' in form

    refused = htmx(
        client_for(owner),
        "post",
        reverse("workflows:run-start", args=(project.slug, "greeter")),
        {"input": '{"name": "  "}'},
    )
    assert refused.status_code == 422 and "name: is required and must not be empty" in refused.content.decode()


def test_an_example_input_the_fields_refuse_is_refused_with_each_field_named(db):
    project = make_project(make_user(), name="Bad examples")
    with pytest.raises(DocumentInvalid) as refused:
        make_workflow_from_document(project, greeter_with_example({"name": "", "nap": "long", "extra": 1}))
    assert str(refused.value) == (
        "example_input: name: is required and must not be empty; example_input: nap: must be a number, not str; "
        "example_input: extra: is not a declared field (declared: name, nap)"
    )
