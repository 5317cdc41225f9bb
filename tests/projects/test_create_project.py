"""The "New project" form on the projects list: the creator becomes owner; bad input is a field error."""

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import Membership, Project
from tests.factories import make_user

URL = reverse("projects:create")


@pytest.fixture
def client_of(db):
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


def htmx(client: Client, data: dict):
    return client.post(URL, data, HTTP_HX_REQUEST="true")


def test_the_projects_list_offers_the_form(client_of):
    html = client_of(make_user()).get(reverse("projects:list")).content.decode()
    assert f'action="{URL}"' in html and "Create project" in html


def test_the_form_has_a_page_of_its_own(client_of):
    response = client_of(make_user()).get(URL)
    assert response.status_code == 200 and 'id="project-form"' in response.content.decode()


def test_creating_a_project_makes_me_its_owner_and_opens_it(client_of):
    user = make_user()
    response = htmx(client_of(user), {"name": "Billing Jobs", "description": "Nightly invoices"})
    project = Project.objects.get(slug="billing-jobs")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("projects:detail", args=["billing-jobs"])
    assert (project.owner, project.description) == (user, "Nightly invoices")
    assert Membership.objects.get(project=project, user=user).role == "owner"
    assert project.task_queue.endswith("-billing-jobs-queue")


def test_a_plain_post_redirects_to_the_new_project(client_of):
    response = client_of(make_user()).post(URL, {"name": "Plain", "slug": "plain-jobs"})
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=["plain-jobs"])


def test_a_taken_slug_is_a_field_error_and_nothing_is_created(client_of):
    user = make_user()
    htmx(client_of(user), {"name": "Billing"})
    response = htmx(client_of(make_user()), {"name": "Other", "slug": "billing"})
    assert response.status_code == 422
    assert "Project with this Slug already exists." in response.content.decode()
    assert Project.objects.count() == 1


@pytest.mark.parametrize(
    "data,message",
    [
        pytest.param({"name": ""}, "This field is required.", id="no-name"),
        pytest.param({"name": "!!!"}, "This field cannot be blank.", id="name-without-slug"),
        pytest.param({"name": "Ok", "slug": "Not a slug"}, "Enter a valid “slug”", id="bad-slug"),
    ],
)
def test_bad_input_comes_back_in_the_form(client_of, data, message):
    response = htmx(client_of(make_user()), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'id="project-form"' in html
    assert not Project.objects.exists()


def test_without_htmx_errors_render_the_form_page(client_of):
    response = client_of(make_user()).post(URL, {"name": ""})
    assert response.status_code == 422
    assert response.templates[0].name == "projects/create.html"


def test_anonymous_is_sent_to_log_in(db):
    response = Client().post(URL, {"name": "Sneaky"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Project.objects.exists()
