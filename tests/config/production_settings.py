"""The values config/production.py gives settings for an environment, read without touching this process's settings."""

from __future__ import annotations

import runpy
import secrets
from typing import Any

import pytest

# Names production reads that a test environment might have set.
PRODUCTION_ENV = ("HTTP_ACTIVITY_ALLOWED_HOSTS", "WORKFLOW_ACTIVITY_MODULES")


def production_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """Run config/production.py with `env` (and a strong SECRET_KEY) as the only production variables."""
    with monkeypatch.context() as patch:
        for name in PRODUCTION_ENV:
            patch.delenv(name, raising=False)
        patch.setenv("SECRET_KEY", secrets.token_urlsafe(64))
        for name, value in env.items():
            patch.setenv(name, value)
        return runpy.run_module("config.production", run_name="production_settings_probe")
