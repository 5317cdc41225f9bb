"""The ``mcp_call`` built-in: call one tool on a configured MCP server."""

from typing import Any

from compiler.activities.mcp_access import servers_for_caller
from compiler.activities.mcp_tools import call_tool
from compiler.activities.registry import register_activity


@register_activity(
    name="mcp_call",
    description="Call a tool on one of the project's MCP servers (MCP_SERVERS); returns its structured result.",
)
async def mcp_call(server: str, tool: str, arguments: dict | None = None) -> Any:
    """Structured content if the tool gives one, else its JSON (or plain) text."""
    return await call_tool(servers_for_caller([server]), server, tool, arguments)
