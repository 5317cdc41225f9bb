"""Projects in Django admin: scoped by membership, members managed by owners only."""

import pytest
from django.urls import reverse

from projects.models import Membership, Project, Role
from tests.admin_support import add_inline_row, admin_form_data, inline_errors, staff_client
from tests.factories import make_user


@pytest.fixture
def change_url(team):
    return reverse("admin:projects_project_change", args=[team.project.pk])


def test_changelist_shows_only_my_projects(team):
    response = staff_client(team.user("editor")).get(reverse("admin:projects_project_changelist"))
    assert list(response.context["cl"].result_list) == [team.project]


def test_superuser_sees_every_project(team):
    admin = make_user("root", is_staff=True, is_superuser=True)
    response = staff_client(admin).get(reverse("admin:projects_project_changelist"))
    assert len(response.context["cl"].result_list) == 2


@pytest.mark.parametrize("role,can_change", [("viewer", False), ("editor", False), ("owner", True)])
def test_only_owners_change_a_project(team, change_url, role, can_change):
    response = staff_client(team.user(role)).get(change_url)
    assert response.context["has_change_permission"] is can_change


def test_outsider_cannot_open_the_project(team, change_url):
    response = staff_client(team.user("outsider")).get(change_url)
    assert response.status_code == 302


def test_owner_adds_a_member_inline(team, change_url):
    client = staff_client(team.user("owner"))
    newcomer = make_user("nina")
    data = admin_form_data(client.get(change_url))
    add_inline_row(data, "memberships", {"user": newcomer.pk, "role": "editor"})
    response = client.post(change_url, data)
    assert response.status_code == 302
    assert Membership.objects.get(project=team.project, user=newcomer).role == Role.EDITOR


def test_owner_membership_cannot_be_demoted(team, change_url):
    client = staff_client(team.user("owner"))
    data = admin_form_data(client.get(change_url))
    index = next(k for k, v in data.items() if k.endswith("-user") and v == team.user("owner").pk).split("-")[1]
    data[f"memberships-{index}-role"] = "viewer"
    response = client.post(change_url, data)
    assert response.status_code == 200
    assert any("stays an owner" in str(m) for m in inline_errors(response, "memberships"))


def test_adding_a_project_makes_the_creator_its_owner(db):
    creator = make_user("cleo")
    client = staff_client(creator)
    add_url = reverse("admin:projects_project_add")
    data = admin_form_data(client.get(add_url))
    data.update({"name": "Admin Made", "slug": "admin-made", "namespace": "default"})
    response = client.post(add_url, data)
    assert response.status_code == 302
    project = Project.objects.get(slug="admin-made")
    assert (project.owner, project.memberships.get().role) == (creator, Role.OWNER)
