"""The provider interface an agent step talks to, and the messages it exchanges.

A provider turns a conversation into either a final answer or tool calls.
Messages are plain dicts so they cross process and JSON boundaries as-is:

- ``{"role": "system" | "user", "content": str}``
- ``{"role": "assistant", "content": str | None, "tool_calls": [{"id", "name", "arguments"}]}``
- ``{"role": "tool", "tool_call_id": str, "name": str, "content": str}`` (JSON of the tool's result)

Tool names are ``server.tool`` (an MCP server from ``MCP_SERVERS`` and one of
its tools); a provider whose API forbids dots maps them itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ToolSpec:
    """A tool offered to the model: name, what it does, JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    id: str = ""


@dataclass(frozen=True)
class ProviderReply:
    """Either tool calls to run (then ask again) or the final ``text``."""

    text: str | None
    tool_calls: list[ToolCall] = field(default_factory=list)


class AgentProvider(Protocol):
    async def complete(self, messages: list[dict[str, Any]], tools: list[ToolSpec], model: str | None) -> ProviderReply:
        """One model turn; raises ``temporalio.exceptions.ApplicationError`` on provider failure."""
        ...
