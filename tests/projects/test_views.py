"""The projects list and project pages: access by role, content, fixed query counts."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, ROLES, make_project, make_user, make_workflow_from_document, sample_document


def client_for(team, role: str) -> Client:
    client = Client()
    if team.user(role) is not None:
        client.force_login(team.user(role))
    return client


@pytest.mark.parametrize(
    "role,expected", [("anonymous", 302), ("outsider", 200), ("viewer", 200), ("editor", 200), ("owner", 200)]
)
def test_projects_list_status_by_role(team, role, expected):
    assert client_for(team, role).get(reverse("projects:list")).status_code == expected


@pytest.mark.parametrize("role,expected", list(zip(ROLES, (302, 404, 200, 200, 200), strict=True)))
def test_project_page_status_by_role(team, role, expected):
    response = client_for(team, role).get(reverse("projects:detail", args=[team.project.slug]))
    assert response.status_code == expected


def test_anonymous_is_sent_to_login(team):
    response = Client().get(reverse("projects:detail", args=[team.project.slug]))
    assert response.url.startswith(reverse("login"))


def test_projects_list_shows_only_my_projects_with_counts_and_role(team):
    html = client_for(team, "editor").get(reverse("projects:list")).content.decode()
    assert "Package Management" in html
    assert "Secret Project" not in html
    assert 'class="badge role-editor">editor' in html


def test_project_page_lists_workflows_with_node_counts(team):
    html = client_for(team, "viewer").get(reverse("projects:detail", args=[team.project.slug])).content.decode()
    assert "Package Build" in html
    assert f'data-node-count="package-build">{team.workflow.nodes.count()}<' in html


def test_project_page_lists_members_and_task_queue(team):
    html = client_for(team, "viewer").get(reverse("projects:detail", args=[team.project.slug])).content.decode()
    assert all(name in html for name in ("olivia", "eddie", "vera"))
    assert team.project.task_queue in html


def test_page_carries_csrf_header_for_htmx_and_local_htmx(team):
    html = client_for(team, "viewer").get(reverse("projects:list")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/django_htmx/htmx-2.min.js" in html


def test_logout_is_a_post_form(team):
    html = client_for(team, "viewer").get(reverse("projects:list")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}">' in html


def test_login_page_renders_and_logs_in(db):
    make_user("lena")
    client = Client()
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "lena", "password": PASSWORD})
    assert response.url == reverse("projects:list")


@pytest.mark.parametrize("extra_workflows", [0, 6])
def test_project_page_runs_a_fixed_number_of_queries(team, django_assert_num_queries, extra_workflows):
    for n in range(extra_workflows):
        make_workflow_from_document(team.project, sample_document(f"extra-{n}", extra_steps=n))
    client = client_for(team, "viewer")
    # session, user, project, membership, workflows with counts, members
    with django_assert_num_queries(6):
        client.get(reverse("projects:detail", args=[team.project.slug]))


@pytest.mark.parametrize("extra_projects", [0, 4])
def test_projects_list_runs_a_fixed_number_of_queries(team, django_assert_num_queries, extra_projects):
    for n in range(extra_projects):
        make_project(team.user("viewer"), name=f"Extra {n}")
    client = client_for(team, "viewer")
    # session, user, projects with counts and roles
    with django_assert_num_queries(3):
        client.get(reverse("projects:list"))
