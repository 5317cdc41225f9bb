"""Choosing the agent provider from settings (``AGENT_PROVIDER``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from temporalio.exceptions import ApplicationError

from compiler.agents.base import AgentProvider
from compiler.agents.openai_http import OpenAIHttpProvider
from compiler.agents.scripted import ScriptedProvider, ScriptError, load_script


def get_provider(config: Mapping[str, Any] | None = None) -> AgentProvider:
    """The provider described by ``config``, by default the ``AGENT_PROVIDER`` setting.

    ``{"kind": "scripted", "script": ...}`` (the default) or ``{"kind":
    "openai", "base_url": ..., "model": ..., "api_key": ...}``.
    """
    if config is None:
        from django.conf import settings

        config = getattr(settings, "AGENT_PROVIDER", {"kind": "scripted"})
    kind = config.get("kind", "scripted")
    if kind == "openai":
        return OpenAIHttpProvider(
            base_url=config.get("base_url", ""),
            model=config.get("model", ""),
            api_key=config.get("api_key", ""),
            timeout_seconds=config.get("timeout_seconds", 120),
        )
    if kind == "scripted":
        try:
            return ScriptedProvider(load_script(config.get("script")))
        except ScriptError as error:
            raise ApplicationError(str(error), type="AgentProviderMisconfigured", non_retryable=True) from error
    raise ApplicationError(
        f"AGENT_PROVIDER kind {kind!r} is unknown; use 'scripted' or 'openai'",
        type="AgentProviderMisconfigured",
        non_retryable=True,
    )
