"""The ``agent`` built-in: an LLM step whose tools are MCP tools."""

from __future__ import annotations

from typing import Any

from compiler.activities.mcp_access import servers_for_caller
from compiler.activities.mcp_tools import McpToolbox
from compiler.activities.registry import register_activity
from compiler.agents.loop import run_agent
from compiler.agents.providers import get_provider


@register_activity(
    name="agent",
    description="Run an LLM agent on a prompt template, letting it call MCP tools; optional JSON output schema.",
)
async def agent(
    prompt: str,
    context: dict | None = None,
    model: str | None = None,
    tools: list[str] | None = None,
    output_schema: dict | None = None,
    max_turns: int = 5,
) -> dict:
    """``tools`` are ``server.tool`` / ``server.*`` names of the project's MCP servers.

    Returns output, turns and tool_calls.
    """
    arguments: dict[str, Any] = {
        "provider": get_provider(),
        "prompt": prompt,
        "context": context,
        "model": model,
        "output_schema": output_schema,
        "max_turns": max_turns,
    }
    if not tools:
        return await run_agent(**arguments)
    servers = servers_for_caller(ref.partition(".")[0] for ref in tools)
    async with McpToolbox(servers, tools) as toolbox:
        return await run_agent(**arguments, tools=toolbox.tools, call_tool=toolbox.call)
