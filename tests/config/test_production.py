"""Production settings pass Django's deployment checks and refuse what would make them insecure."""

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(64)


def _production(*command: str, **env: str) -> subprocess.CompletedProcess:
    """Run `command` (python arguments) in a fresh process with production settings and only `env`."""
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.production", "ALLOWED_HOSTS": "example.com", "PATH": "/usr/bin:/bin"}
        | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setting(name: str, **env: str) -> str:
    result = _production("-c", f"from django.conf import settings; print(settings.{name})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_production_settings():
    result = _production("manage.py", "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "key,problem",
    [
        (None, "SECRET_KEY is empty."),
        ("", "SECRET_KEY is empty."),
        ("dev-only-insecure-key-change-me", "SECRET_KEY is the public development key."),
        ("django-insecure-" + "x1y2z3" * 10, "SECRET_KEY is the public development key."),
        ("short-but-random-8c1f", "SECRET_KEY is too weak: it needs at least 50 characters and 5 different ones."),
        ("ab" * 40, "SECRET_KEY is too weak: it needs at least 50 characters and 5 different ones."),
    ],
)
def test_production_refuses_a_missing_public_or_weak_secret_key(key, problem):
    env = {} if key is None else {"SECRET_KEY": key}
    result = _production("manage.py", "check", **env)
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {problem} Set SECRET_KEY to a long random value" in (
        result.stderr
    )


def test_x_forwarded_proto_is_trusted_only_when_configured():
    assert _setting("SECURE_PROXY_SSL_HEADER", SECRET_KEY=GOOD_KEY) == "None"
    assert _setting("SECURE_PROXY_SSL_HEADER", SECRET_KEY=GOOD_KEY, TRUST_X_FORWARDED_PROTO="true") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
