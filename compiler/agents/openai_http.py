"""An agent provider for any OpenAI-compatible chat completions endpoint.

Configured by ``AGENT_PROVIDER = {"kind": "openai", "base_url": ..., "model":
..., "api_key": ...}``; ``base_url`` is the API root (e.g.
``https://api.openai.com/v1`` or a local server's ``http://127.0.0.1:8000/v1``).
Tool names must match ``^[a-zA-Z0-9_-]+$`` there, so ``server.tool`` is sent
as ``server__tool`` and mapped back in the reply.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from temporalio.exceptions import ApplicationError

from compiler.agents.base import ProviderReply, ToolCall, ToolSpec


class OpenAIHttpProvider:
    def __init__(self, base_url: str, model: str = "", api_key: str = "", timeout_seconds: float = 120) -> None:
        if not base_url:
            raise ApplicationError(
                "AGENT_PROVIDER kind 'openai' needs a base_url (e.g. https://api.openai.com/v1)",
                type="AgentProviderMisconfigured",
                non_retryable=True,
            )
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout_seconds = timeout_seconds

    async def complete(self, messages: list[dict[str, Any]], tools: list[ToolSpec], model: str | None) -> ProviderReply:
        wire_names = {tool.name: _wire_name(tool.name) for tool in tools}
        body: dict[str, Any] = {
            "model": model or self.model,
            "messages": [_to_wire(message, wire_names) for message in messages],
        }
        if tools:
            body["tools"] = [
                {
                    "type": "function",
                    "function": {"name": wire_names[t.name], "description": t.description, "parameters": t.parameters},
                }
                for t in tools
            ]
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        async with httpx.AsyncClient(timeout=self.timeout_seconds) as client:
            response = await client.post(self.url, json=body, headers=headers)
        if response.status_code >= 400:
            raise ApplicationError(
                f"agent provider {self.url} answered {response.status_code}: {response.text[:500]}",
                type="AgentProviderError",
                non_retryable=response.status_code < 500 and response.status_code != 429,
            )
        return _from_wire(response.json(), {wire: name for name, wire in wire_names.items()})


def _wire_name(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]", "_", name.replace(".", "__"))


def _to_wire(message: dict[str, Any], wire_names: dict[str, str]) -> dict[str, Any]:
    if message["role"] == "tool":
        return {"role": "tool", "tool_call_id": message["tool_call_id"], "content": message["content"]}
    if message.get("tool_calls"):
        return {
            "role": "assistant",
            "content": message.get("content"),
            "tool_calls": [
                {
                    "id": call["id"],
                    "type": "function",
                    "function": {
                        "name": wire_names.get(call["name"], _wire_name(call["name"])),
                        "arguments": json.dumps(call["arguments"]),
                    },
                }
                for call in message["tool_calls"]
            ],
        }
    return {"role": message["role"], "content": message["content"]}


def _from_wire(payload: dict[str, Any], names: dict[str, str]) -> ProviderReply:
    try:
        message = payload["choices"][0]["message"]
        calls = [
            ToolCall(
                name=names.get(call["function"]["name"], call["function"]["name"]),
                arguments=json.loads(call["function"].get("arguments") or "{}"),
                id=call.get("id", ""),
            )
            for call in message.get("tool_calls") or []
        ]
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise ApplicationError(
            f"agent provider gave an unreadable reply ({error!r}): {json.dumps(payload)[:500]}",
            type="AgentProviderError",
        ) from error
    return ProviderReply(text=message.get("content"), tool_calls=calls)
