"""The project page (issue 18 item 4): the current build and its status, the newest runs across workflows,
schedules with their last and next run, in a fixed number of queries; cards asked for without HTMX lead to the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from compiler.models import Deployment, DeploymentStatus
from compiler.runs.control import run_id_in, signal_run, start_run
from tests.compiler.build_support import make_build
from tests.compiler.run_documents import greeter_document
from tests.compiler.runs.test_control import wait_until
from tests.factories import make_workflow_from_document
from tests.workflows.editor_support import client_for, htmx
from tests.workflows.run_support import greeters, start_worker, temporal_address  # noqa: F401 - fixtures


def page_url(project) -> str:
    return reverse("projects:detail", args=(project.slug,))


def card_url(project) -> str:
    return reverse("workflows:project-activity", args=(project.slug,))


def queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code in (200, 503)
    return len(captured)


def test_the_page_and_the_build_card_take_the_same_queries_for_one_workflow_or_many(team, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"  # the runs part says Temporal is away; the build part stays
    viewer = client_for(team.user("viewer"))
    make_build(team.project)
    before = queries(viewer, page_url(team.project)), queries(viewer, card_url(team.project), HTTP_HX_REQUEST="true")
    for number in range(5):
        make_workflow_from_document(team.project, greeter_document(f"greeter-{number}"))
        Deployment.objects.create(project=team.project, build_id=f"old-{number}", sources={}, status="retired")
    after = queries(viewer, page_url(team.project)), queries(viewer, card_url(team.project), HTTP_HX_REQUEST="true")
    assert after == before

    card = htmx(viewer, "get", card_url(team.project))
    body = card.content.decode()
    assert card.status_code == 503 and "Cannot reach Temporal at 127.0.0.1:1" in body
    assert body.count('class="build"') == 1 and "retired" not in body, "the newest deploy, current or not"


def test_a_newer_build_that_is_not_current_is_shown_before_the_current_one(team, settings):
    settings.TEMPORAL_ADDRESS = "127.0.0.1:1"
    current = make_build(team.project)
    Deployment.objects.filter(pk=current.pk).update(status=DeploymentStatus.CURRENT)
    Deployment.objects.create(project=team.project, build_id="newer", sources={}, status=DeploymentStatus.FAILED)
    body = htmx(client_for(team.user("viewer")), "get", card_url(team.project)).content.decode()
    assert body.index('data-build="newer"') < body.index(f'data-build="{current.build_id}"')
    assert '<span class="badge build-failed">failed</span>' in body
    assert '<span class="badge build-current">current</span>' in body


def test_cards_asked_for_without_htmx_lead_to_the_project_page(team):
    viewer = client_for(team.user("viewer"))
    for name, anchor in (("project-activity", "activity"), ("schedules", "schedules")):
        response = viewer.get(reverse(f"workflows:{name}", args=(team.project.slug,)))
        assert response.status_code == 302 and response.url == f"{page_url(team.project)}#{anchor}"
    assert client_for(team.user("outsider")).get(card_url(team.project)).status_code == 404
    page = viewer.get(page_url(team.project)).content.decode()
    assert f'hx-get="{card_url(team.project)}" hx-trigger="load"' in page


@pytest.mark.temporal
def test_the_card_lists_the_newest_runs_with_status_start_duration_and_link(greeters):  # noqa: F811
    project, viewer = greeters.project, client_for(greeters.users["viewer"])
    done = start_run(project, "greeter", {"name": "Ada"}, workflow_id="done-run")
    signal_run(project, "done-run", "approve", {"by": "Bo"})
    waiting = start_run(project, "greeter", {"name": "Cy"}, workflow_id="open-run")

    def card():
        body = htmx(viewer, "get", card_url(project)).content.decode()
        return 'badge run-completed">completed' in body and 'badge run-running">running' in body and body

    body = wait_until(card)
    assert body, htmx(viewer, "get", card_url(project)).content.decode()
    assert body.index(run_id_in(project, "open-run")) < body.index(run_id_in(project, "done-run")), "newest first"
    link = reverse("workflows:run-detail", args=(project.slug, done.workflow_id)) + f"?run={done.run_id}"
    assert f'href="{link}"' in body and f"?run={waiting.run_id}" in body
    assert '<span class="badge build-current">current</span>' in body
    assert " s</td>" in body and "…</td>" in body, "a duration for the finished run, none yet for the open one"

    api = APIClient()
    api.force_login(greeters.users["viewer"])
    listed = api.get(reverse("api-project-runs", args=(project.slug,)))
    assert listed.status_code == 200, listed.content
    rows = {row["workflow_id"]: row for row in listed.json()}
    assert set(rows) == {done.workflow_id, waiting.workflow_id}, "the page's list, from the API"
    assert (rows[done.workflow_id]["status"], rows[waiting.workflow_id]["status"]) == ("completed", "running")
    outsider = APIClient()
    outsider.force_login(greeters.users["outsider"])
    assert outsider.get(reverse("api-project-runs", args=(project.slug,))).status_code == 404
