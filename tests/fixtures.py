"""Fixtures shared by the project and workflow tests (imported by their conftest.py)."""

import pytest
from rest_framework.test import APIClient

from tests.factories import make_team


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def api_for(team):
    """An API client logged in as the user of a role name ("anonymous" stays logged out)."""

    def client(role: str) -> APIClient:
        api = APIClient()
        user = team.user(role)
        if user is not None:
            api.force_login(user)
        return api

    return client
