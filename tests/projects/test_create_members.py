"""The members card of the project page: owners add, re-role and remove members; nobody else can."""

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import Membership
from tests.factories import make_user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_url(team):
    return reverse("projects:member-add", args=[team.project.slug])


def role_url(team, username):
    return reverse("projects:member-role", args=[team.project.slug, username])


def remove_url(team, username):
    return reverse("projects:member-remove", args=[team.project.slug, username])


def role_of(team, user):
    return Membership.objects.filter(project=team.project, user=user).values_list("role", flat=True).first()


def test_owners_see_the_forms_and_others_do_not(team):
    page = reverse("projects:detail", args=[team.project.slug])
    owner_html = client_for(team.user("owner")).get(page).content.decode()
    editor_html = client_for(team.user("editor")).get(page).content.decode()
    assert 'id="member-add"' in owner_html and f'action="{remove_url(team, "vera")}"' in owner_html
    assert f'action="{remove_url(team, "olivia")}"' not in owner_html  # the project owner stays
    assert 'id="member-add"' not in editor_html and "member-actions" not in editor_html


def test_owner_adds_a_member_by_username(team):
    newcomer = make_user("nina")
    response = client_for(team.user("owner")).post(
        add_url(team), {"username": "nina", "role": "editor"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "nina is now editor." in response.content.decode()
    assert 'data-member="nina"' in response.content.decode()
    assert role_of(team, newcomer) == "editor"


def test_an_unknown_username_is_a_field_error(team):
    response = client_for(team.user("owner")).post(
        add_url(team), {"username": "ghost", "role": "viewer"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "No user is called &#x27;ghost&#x27;; they need an account first." in html
    assert 'value="ghost"' in html  # what the owner typed stays in the form


def test_a_bad_role_is_a_field_error(team):
    make_user("nina")
    response = client_for(team.user("owner")).post(
        add_url(team), {"username": "nina", "role": "admin"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "Select a valid choice. admin is not one of the available choices." in response.content.decode()


def test_owner_changes_a_role(team):
    response = client_for(team.user("owner")).post(role_url(team, "vera"), {"role": "editor"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "vera is now editor." in response.content.decode()
    assert role_of(team, team.user("viewer")) == "editor"


def test_the_project_owner_stays_an_owner(team):
    response = client_for(team.user("owner")).post(role_url(team, "olivia"), {"role": "viewer"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "stays an owner" in response.content.decode()
    assert role_of(team, team.user("owner")) == "owner"


def test_owner_removes_a_member(team):
    response = client_for(team.user("owner")).post(remove_url(team, "eddie"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "eddie was removed from Package Management." in response.content.decode()
    assert role_of(team, team.user("editor")) is None


def test_the_project_owner_cannot_be_removed(team):
    response = client_for(team.user("owner")).post(remove_url(team, "olivia"), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "cannot be removed" in response.content.decode()


def test_a_plain_post_redirects_with_a_message(team):
    client = client_for(team.user("owner"))
    response = client.post(add_url(team), {"username": "ghost", "role": "viewer"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#members")
    assert "Not added: username: No user is called" in response.content.decode()


def test_removing_someone_who_is_not_a_member_is_404(team):
    response = client_for(team.user("owner")).post(remove_url(team, "oscar"))
    assert response.status_code == 404


@pytest.mark.parametrize("role,status", [("outsider", 404), ("viewer", 403), ("editor", 403)])
@pytest.mark.parametrize("action", ["add", "role", "remove"])
def test_only_owners_change_members(team, role, status, action):
    url, data = {
        "add": (add_url(team), {"username": "oscar", "role": "owner"}),
        "role": (role_url(team, "vera"), {"role": "owner"}),
        "remove": (remove_url(team, "vera"), {}),
    }[action]
    assert client_for(team.user(role)).post(url, data).status_code == status
    assert role_of(team, team.user("viewer")) == "viewer"
    assert role_of(team, team.user("outsider")) is None
