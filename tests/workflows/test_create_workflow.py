"""The "New workflow" form of the project page: Start -> End, one revision, then the editor."""

import pytest
from django.test import Client
from django.urls import reverse

from compiler.pipeline import compile_graph
from compiler.project_reader import load
from workflows.models import Workflow


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(team):
    return reverse("workflows:create", args=[team.project.slug])


def test_editors_see_the_form_on_the_project_page_and_viewers_do_not(team):
    page = reverse("projects:detail", args=[team.project.slug])
    assert 'id="workflow-form"' in client_for(team.user("editor")).get(page).content.decode()
    assert 'id="workflow-form"' not in client_for(team.user("viewer")).get(page).content.decode()


def test_a_new_workflow_is_start_to_end_and_opens_in_the_editor(team):
    response = client_for(team.user("editor")).post(
        url(team), {"identifier": "nightly-report", "name": "Nightly report"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("workflows:editor", args=[team.project.slug, "nightly-report"])
    workflow = Workflow.objects.get(project=team.project, identifier="nightly-report")
    assert (workflow.name, workflow.version, workflow.revisions.count()) == ("Nightly report", 1, 1)
    graph = load(workflow)
    assert sorted((n.key, n.type) for n in graph.nodes) == [("end", "end"), ("start", "start")]
    assert [(e.source, e.target, e.kind) for e in graph.edges] == [("start", "end", "next")]
    assert compile_graph(graph).ok  # a new workflow can be deployed and run as it is


def test_a_plain_post_redirects_to_the_editor(team):
    response = client_for(team.user("owner")).post(url(team), {"identifier": "plain"})
    assert response.status_code == 302
    assert response.url == reverse("workflows:editor", args=[team.project.slug, "plain"])
    assert Workflow.objects.get(project=team.project, identifier="plain").name == "plain"


def test_a_taken_identifier_is_a_field_error(team):
    response = client_for(team.user("editor")).post(url(team), {"identifier": "package-build"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "This project already has a workflow &#x27;package-build&#x27;." in response.content.decode()


def test_an_identifier_differing_only_in_dash_or_underscore_is_a_field_error(team):
    """`package_build` and `package-build` would share one generated Python module."""
    response = client_for(team.user("editor")).post(url(team), {"identifier": "package_build"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "already has a workflow &#x27;package-build&#x27;: identifiers that differ only in" in (
        response.content.decode()
    )
    assert not Workflow.objects.filter(project=team.project, identifier="package_build").exists()


@pytest.mark.parametrize(
    "identifier,message",
    [
        pytest.param("", "This field is required.", id="empty"),
        pytest.param("Nightly Report", "Use lowercase letters, digits and single - or _", id="not-a-slug"),
        pytest.param("a" * 81, "Ensure this value has at most 80 characters", id="too-long"),
    ],
)
def test_bad_identifiers_come_back_in_the_form(team, identifier, message):
    before = Workflow.objects.count()
    response = client_for(team.user("editor")).post(url(team), {"identifier": identifier}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'id="workflow-form"' in html
    assert Workflow.objects.count() == before


def test_without_htmx_errors_render_the_form_page(team):
    response = client_for(team.user("editor")).post(url(team), {"identifier": ""})
    assert response.status_code == 422
    assert response.templates[0].name == "workflows/create.html"


@pytest.mark.parametrize("role,status", [("outsider", 404), ("viewer", 403)])
def test_only_editors_create_workflows(team, role, status):
    response = client_for(team.user(role)).post(url(team), {"identifier": "sneaky"})
    assert response.status_code == status
    assert not Workflow.objects.filter(identifier="sneaky").exists()
