"""The API asks for credentials (401 with a Basic challenge), and its schema and docs need a login."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_wrong_basic_credentials_get_401_with_a_basic_challenge(db):
    make_user("alice")
    response = Client().get("/api/projects/", HTTP_AUTHORIZATION=_basic("alice", "wrong"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    assert response.json() == {"detail": "Invalid username/password."}


def test_no_credentials_get_401_with_a_basic_challenge(db):
    response = Client().get("/api/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_right_basic_credentials_are_accepted(db):
    make_user("alice")
    response = Client().get("/api/projects/", HTTP_AUTHORIZATION=_basic("alice", PASSWORD))
    assert response.status_code == 200


def test_api_schema_needs_a_login(db):
    assert Client().get("/api/schema/").status_code == 401
    client = Client()
    client.force_login(make_user("reader"))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/projects/" in schema.content


def test_api_docs_page_sends_anonymous_visitors_to_log_in(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/api/docs/"
