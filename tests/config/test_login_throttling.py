"""Login throttling (django-axes): wrong passwords lock a username out, the right one included, until cool-off."""

import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _log_in(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def test_wrong_passwords_lock_the_login_out_with_a_clear_page_until_cool_off(db, settings):
    make_user("mallory-target")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _log_in(client, "mallory-target", "guess")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()

    locked = _log_in(client, "mallory-target", "guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed logins" in page
    assert f"failed {settings.AXES_FAILURE_LIMIT} times" in page
    assert "even the right password is refused" in page

    right = _log_in(client, "mallory-target", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
    after_cool_off = _log_in(client, "mallory-target", PASSWORD)
    assert after_cool_off.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_lockout_is_per_username(db, settings):
    make_user("locked")
    make_user("bystander")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "locked", "guess")
    assert _log_in(client, "bystander", PASSWORD).status_code == 302


def test_wrong_basic_credentials_count_towards_the_same_lockout(db, settings):
    make_user("api-user")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.get("/api/projects/", HTTP_AUTHORIZATION=_basic("api-user", "guess"))
        assert response.status_code == 401
    refused = client.get("/api/projects/", HTTP_AUTHORIZATION=_basic("api-user", PASSWORD))
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Account locked: too many login attempts. Please try again later."}
    assert _log_in(Client(), "api-user", PASSWORD).status_code == 429


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_a_forged_x_forwarded_for_does_not_buy_fresh_attempts(db, settings):
    make_user("target")
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "target", "password": "guess"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    right = client.post("/login/", {"username": "target", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert right.status_code == 429
