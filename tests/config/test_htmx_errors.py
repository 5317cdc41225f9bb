"""HTMX errors never replace the page (issue 18 item 3): the run page's and schedules card's actions answer
a message partial for 400, 403, 404, 409, 500 and 503, also when the view raises, in DEBUG and production."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.factories import make_project, make_user
from tests.workflows.editor_support import client_for, htmx


@pytest.fixture
def team(db):
    users = {role: make_user() for role in ("owner", "editor", "viewer", "outsider")}
    project = make_project(users["owner"], name="Errors", editors=[users["editor"]], viewers=[users["viewer"]])
    return project, users


def run_action(project, action: str, workflow_id: str = "some-run") -> str:
    return reverse(f"workflows:run-{action}", args=(project.slug, workflow_id))


def schedule_action(project, action: str) -> str:
    return reverse("workflows:schedule-action", args=(project.slug, "greeter", action))


def assert_partial(answer, status: int, text: str) -> None:
    body = answer.content.decode()
    assert answer.status_code == status, body
    assert "<html" not in body.lower() and "<!doctype" not in body.lower(), "a whole page would replace the panel"
    assert text in body, body


@pytest.mark.parametrize("debug", [True, False])
def test_run_actions_answer_message_partials(team, settings, debug):
    settings.DEBUG = debug
    project, users = team
    editor = client_for(users["editor"])
    malformed = htmx(editor, "post", run_action(project, "signal"), {"signal": "approve", "payload": "{by"})
    assert_partial(malformed, 400, "payload")
    assert 'class="message error"' in malformed.content.decode()

    denied = htmx(client_for(users["viewer"]), "post", run_action(project, "cancel"))
    assert_partial(denied, 403, 'role="alert"')
    assert denied["HX-Reswap"] == "afterbegin", "the message goes on top of the panel, which keeps its content"
    missing = htmx(client_for(users["outsider"]), "post", run_action(project, "terminate"))
    assert_partial(missing, 404, 'data-status="404"')


@pytest.mark.parametrize("debug", [True, False])
def test_schedule_actions_answer_message_partials(team, settings, debug):
    settings.DEBUG = debug
    project, users = team
    unknown = htmx(client_for(users["editor"]), "post", schedule_action(project, "explode"))
    assert_partial(unknown, 404, "Schedules can be: pause, resume, trigger.")
    denied = htmx(client_for(users["viewer"]), "post", schedule_action(project, "pause"))
    assert_partial(denied, 403, 'data-status="403"')
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    away = htmx(client_for(users["editor"]), "post", schedule_action(project, "trigger"))
    assert_partial(away, 503, 'id="schedules"')


def test_a_csrf_failure_is_a_message_not_the_csrf_page(team):
    project, users = team
    refused = htmx(client_for(users["editor"], csrf=True), "post", run_action(project, "cancel"))
    assert_partial(refused, 403, "CSRF verification failed: the form expired or cookies are blocked")


@pytest.mark.urls("tests.config.htmx_error_urls")
@pytest.mark.parametrize("debug", [True, False])
def test_a_crashing_view_and_an_error_page_become_messages_for_htmx_only(team, settings, caplog, debug):
    settings.DEBUG = debug
    _, users = team
    client = client_for(users["editor"])
    with caplog.at_level(logging.ERROR, logger="config.middleware"):
        crashed = htmx(client, "get", "/crash/")
    assert_partial(crashed, 500, "Something went wrong on the server (it was logged)")
    assert "a bug in a view" in caplog.text, "the traceback is logged, not lost"
    assert_partial(htmx(client, "get", "/conflict/"), 409, "conflicts with the current state")

    assert b"<h1>Conflict</h1>" in client.get("/conflict/").content, "a page load keeps its full error page"
    boosted = client.get("/conflict/", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert b"<h1>Conflict</h1>" in boosted.content, "a boosted navigation wants the full page"
