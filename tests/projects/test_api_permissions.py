"""Who may do what through the projects and members API, per role."""

import pytest

from tests.factories import ROLES, make_user

ANON, OUT, NO, FORBIDDEN = 401, 404, 403, 403

# (method, path, body, expected status for anonymous, outsider, viewer, editor, owner)
MATRIX = [
    ("get", "/api/projects/", None, (ANON, 200, 200, 200, 200)),
    ("post", "/api/projects/", {"name": "Fresh Project"}, (ANON, 201, 201, 201, 201)),
    ("get", "/api/projects/{slug}/", None, (ANON, OUT, 200, 200, 200)),
    ("patch", "/api/projects/{slug}/", {"description": "Builds packages."}, (ANON, OUT, NO, NO, 200)),
    ("delete", "/api/projects/{slug}/", None, (ANON, OUT, NO, NO, 204)),
    ("get", "/api/projects/{slug}/members/", None, (ANON, OUT, 200, 200, 200)),
    ("post", "/api/projects/{slug}/members/", {"username": "newbie", "role": "viewer"}, (ANON, OUT, NO, NO, 201)),
    ("get", "/api/projects/{slug}/members/vera/", None, (ANON, OUT, 200, 200, 200)),
    ("patch", "/api/projects/{slug}/members/vera/", {"role": "editor"}, (ANON, OUT, NO, NO, 200)),
    ("delete", "/api/projects/{slug}/members/vera/", None, (ANON, OUT, NO, NO, 204)),
]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("method,path,body,expected", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_project_api_status_by_role(team, api_for, method, path, body, expected, role_index, role):
    make_user("newbie")
    url = path.format(slug=team.project.slug)
    response = getattr(api_for(role), method)(url, body, format="json")
    assert response.status_code == expected[role_index], response.content


def test_project_list_shows_only_the_callers_projects(team, api_for):
    response = api_for("viewer").get("/api/projects/")
    assert [p["slug"] for p in response.json()["results"]] == [team.project.slug]


def test_project_list_shows_the_callers_role(team, api_for):
    response = api_for("editor").get("/api/projects/")
    assert response.json()["results"][0]["role"] == "editor"


def test_project_creator_becomes_owner(team, api_for):
    response = api_for("outsider").post("/api/projects/", {"name": "Fresh Project"}, format="json")
    members = api_for("outsider").get(f"/api/projects/{response.json()['slug']}/members/").json()["results"]
    assert [(m["username"], m["role"]) for m in members] == [("oscar", "owner")]


def test_member_list_of_another_project_is_404(team, api_for):
    response = api_for("owner").get(f"/api/projects/{team.other_project.slug}/members/")
    assert response.status_code == 404


def test_owner_cannot_be_demoted(team, api_for):
    response = api_for("owner").patch(
        f"/api/projects/{team.project.slug}/members/olivia/", {"role": "viewer"}, format="json"
    )
    assert response.status_code == 400
    assert "stays an owner" in response.json()["role"][0]


def test_owner_cannot_be_removed(team, api_for):
    response = api_for("owner").delete(f"/api/projects/{team.project.slug}/members/olivia/")
    assert response.status_code == 400
    assert "cannot be removed" in response.json()["non_field_errors"][0]


def test_adding_an_existing_member_says_to_change_the_role(team, api_for):
    response = api_for("owner").post(
        f"/api/projects/{team.project.slug}/members/", {"username": "vera", "role": "editor"}, format="json"
    )
    assert response.status_code == 400
    assert "already a member" in response.json()["username"][0]


def test_adding_an_unknown_user_names_the_field(team, api_for):
    response = api_for("owner").post(
        f"/api/projects/{team.project.slug}/members/", {"username": "nobody", "role": "editor"}, format="json"
    )
    assert response.status_code == 400
    assert "username" in response.json()


def test_project_slug_cannot_change(team, api_for):
    response = api_for("owner").patch(f"/api/projects/{team.project.slug}/", {"slug": "renamed"}, format="json")
    assert response.status_code == 400
    assert "task queue" in response.json()["slug"][0]


def test_duplicate_project_slug_is_a_validation_error(team, api_for):
    response = api_for("editor").post("/api/projects/", {"name": "Package Management"}, format="json")
    assert response.status_code == 400
    assert "slug" in response.json()
