"""Every editor endpoint: CSRF on writes, editor role on edits, 404 for non-members."""

from __future__ import annotations

import re

import pytest

from tests.workflows.editor_support import (
    EDIT_ENDPOINTS,
    ENDPOINTS,
    POST_ENDPOINTS,
    READ_ENDPOINTS,
    client_for,
    htmx,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", POST_ENDPOINTS)
def test_writes_without_csrf_token_are_rejected_and_change_nothing(team, name):
    client = client_for(team.user("editor"), csrf=True)
    response = htmx(client, "post", url(team.workflow, name), {"version": team.workflow.version})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    team.workflow.refresh_from_db()
    assert team.workflow.version == 1


def test_the_page_gives_htmx_the_csrf_token_and_writes_with_it_succeed(team):
    client = client_for(team.user("editor"), csrf=True)
    page = client.get(url(team.workflow, "editor")).content.decode()
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page).group(1)
    response = client.post(
        url(team.workflow, "editor-node-add"),
        {"type": "timer", "version": 1},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert team.workflow.nodes.filter(type="timer").exists()


@pytest.mark.parametrize("name", EDIT_ENDPOINTS)
def test_viewers_get_403_on_edit_endpoints(team, name):
    method, _ = ENDPOINTS[name]
    response = htmx(client_for(team.user("viewer")), method, url(team.workflow, name), {"version": 1, "node": "check"})
    assert response.status_code == 403
    team.workflow.refresh_from_db()
    assert team.workflow.version == 1


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_non_members_get_404_everywhere(team, name):
    method, _ = ENDPOINTS[name]
    response = htmx(client_for(team.user("outsider")), method, url(team.workflow, name), {"version": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_anonymous_users_are_sent_to_log_in(team, name):
    method, _ = ENDPOINTS[name]
    response = htmx(client_for(None), method, url(team.workflow, name), {"version": 1})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", READ_ENDPOINTS)
def test_viewers_can_read(team, name):
    response = htmx(client_for(team.user("viewer")), "get", url(team.workflow, name), {"node": "check"})
    assert response.status_code in (200, 422)  # 422: the code view of a graph that does not compile


def test_viewers_see_the_canvas_without_edit_controls(team):
    html = client_for(team.user("viewer")).get(url(team.workflow, "editor") + "?node=check").content.decode()
    assert 'id="node-check"' in html and "tabindex" in html
    assert "hx-post" not in html
    assert "Add a node" not in html and "Undo" not in html
    assert '<fieldset class="inspector-fields" disabled>' in html
