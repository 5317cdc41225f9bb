"""Calling MCP tools with the official ``mcp`` SDK, shared by ``mcp_call`` and ``agent``.

Servers are configured by name (setting ``MCP_SERVERS``) so graphs refer to
"packages", never to a command line or URL:

    {"packages": {"transport": "stdio", "command": "/path/python", "args": [...],
                  "env": {...}, "cwd": "..."},
     "remote": {"transport": "http", "url": "http://127.0.0.1:8000/mcp"}}

A tool is addressed as ``server.tool`` when an agent may choose among
several servers; ``server.*`` stands for every tool of a server.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult, TextContent
from temporalio.exceptions import ApplicationError

from compiler.agents.base import ToolSpec


@asynccontextmanager
async def connect(servers: Mapping[str, Mapping[str, Any]], server: str) -> AsyncIterator[Client]:
    """An open ``mcp.Client`` for the named server; a server that cannot start is a clear error."""
    client = _client(servers, server)
    async with AsyncExitStack() as stack:
        try:
            await stack.enter_async_context(client)
        except OSError as error:
            raise ApplicationError(
                f"cannot start MCP server {server!r}: {error}", type="McpServerUnavailable"
            ) from error
        yield client


def _client(servers: Mapping[str, Mapping[str, Any]], server: str) -> Client:
    config = servers.get(server)
    if config is None:
        raise ApplicationError(
            f"unknown MCP server {server!r}; configured servers: {', '.join(sorted(servers)) or 'none'} "
            "(setting MCP_SERVERS)",
            type="McpServerUnknown",
            non_retryable=True,
        )
    transport = config.get("transport", "stdio")
    timeout = config.get("timeout_seconds", 60)
    if transport == "stdio" and config.get("command"):
        parameters = StdioServerParameters(
            command=config["command"],
            args=list(config.get("args", [])),
            env=dict(config.get("env") or {}),
            cwd=config.get("cwd"),
        )
        return Client(parameters, read_timeout_seconds=timeout)
    if transport == "http" and config.get("url"):
        return Client(config["url"], read_timeout_seconds=timeout)
    raise ApplicationError(
        f"MCP server {server!r} is misconfigured: use transport 'stdio' with a command, "
        f"or transport 'http' with a url (got {dict(config)!r})",
        type="McpServerMisconfigured",
        non_retryable=True,
    )


def tool_result_value(result: CallToolResult) -> Any:
    """The useful value of a tool result: structured content, else parsed JSON text, else text."""
    if result.structured_content is not None:
        return result.structured_content
    texts = [block.text for block in result.content if isinstance(block, TextContent)]
    values = [_json_or_text(text) for text in texts]
    return values[0] if len(values) == 1 else values


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def tool_error(server: str, tool: str, result: CallToolResult) -> ApplicationError:
    texts = [block.text for block in result.content if isinstance(block, TextContent)]
    return ApplicationError(
        f"MCP tool {server}.{tool} failed: {' '.join(texts) or 'no message'}",
        type="McpToolError",
        non_retryable=True,
    )


async def call_tool(
    servers: Mapping[str, Mapping[str, Any]], server: str, tool: str, arguments: dict | None = None
) -> Any:
    """Connect to ``server``, call ``tool`` once, return its value or raise ``McpToolError``."""
    async with connect(servers, server) as client:
        result = await client.call_tool(tool, arguments or {})
    if result.is_error:
        raise tool_error(server, tool, result)
    return tool_result_value(result)


class McpToolbox:
    """Open connections to the servers an agent may use, for the length of its loop.

    ``async with McpToolbox(servers, ["packages.lookup", "math.*"]) as box``
    then ``box.tools`` lists the allowed tools and ``box.call(name, args)``
    runs one, returning ``(value, error_message)``; a failing tool is an
    answer the model can react to, not a crash of the agent.
    """

    def __init__(self, servers: Mapping[str, Mapping[str, Any]], tool_refs: list[str]) -> None:
        self._servers = servers
        self._refs: dict[str, set[str] | None] = {}
        for ref in tool_refs:
            server, dot, tool = ref.partition(".")
            if not dot or not server or not tool:
                raise ApplicationError(
                    f"agent tool {ref!r} must be written 'server.tool' or 'server.*'",
                    type="BadActivityArguments",
                    non_retryable=True,
                )
            wanted = self._refs.setdefault(server, set())
            if tool == "*" or wanted is None:
                self._refs[server] = None
            else:
                wanted.add(tool)
        self._clients: dict[str, Client] = {}
        self._stack = AsyncExitStack()
        self.tools: list[ToolSpec] = []

    async def __aenter__(self) -> McpToolbox:
        await self._stack.__aenter__()
        try:
            for server, wanted in sorted(self._refs.items()):
                client = await self._stack.enter_async_context(connect(self._servers, server))
                self._clients[server] = client
                listed = {tool.name: tool for tool in (await client.list_tools()).tools}
                missing = sorted((wanted or set()) - set(listed))
                if missing:
                    raise ApplicationError(
                        f"MCP server {server!r} has no tool {', '.join(missing)}; "
                        f"it offers {', '.join(sorted(listed))}",
                        type="McpToolUnknown",
                        non_retryable=True,
                    )
                for name in sorted(listed if wanted is None else wanted):
                    tool = listed[name]
                    self.tools.append(ToolSpec(f"{server}.{name}", tool.description or "", dict(tool.input_schema)))
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.__aexit__(*exc_info)

    async def call(self, name: str, arguments: dict) -> tuple[Any, str | None]:
        if name not in {tool.name for tool in self.tools}:
            return None, f"tool {name!r} is not available; available tools: {', '.join(t.name for t in self.tools)}"
        server, _, tool = name.partition(".")
        result = await self._clients[server].call_tool(tool, arguments)
        if result.is_error:
            return None, tool_error(server, tool, result).message
        return tool_result_value(result), None
