"""MCP servers a graph names that its project may not use.

An `mcp_call` activity whose `server` argument is a text literal and an
agent's `server.tool` entries are checked against the servers available
to the project (compiler/activities/mcp_access.py decides which; the
activities refuse the others at run time too, for computed names). Runs
only when the caller passes the project's servers.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator

from compiler.diagnostics import Diagnostic, error
from compiler.ir import IRNode

HINT = "use one of the project's MCP servers ({}), or ask an operator to add the project to the server's 'projects'"


def check_mcp_servers(nodes: list[IRNode], configs: dict[str, dict], servers: Collection[str]) -> Iterator[Diagnostic]:
    listing = ", ".join(sorted(servers)) or "none"
    for node in nodes:
        config = configs[node.key]
        if node.type == "activity" and config.get("activity") == "mcp_call":
            args = config.get("args")
            server = _text_literal(args.get("server")) if isinstance(args, dict) else None
            if server is not None and server not in servers:
                yield error(
                    f"MCP server '{server}' is not available to this project",
                    node=node.key,
                    field="args.server",
                    hint=HINT.format(listing),
                )
        elif node.type == "agent":
            tools = config.get("tools") if isinstance(config.get("tools"), list) else []
            names = {tool.partition(".")[0] for tool in tools if isinstance(tool, str)}
            for server in sorted(names - set(servers)):
                yield error(
                    f"MCP server '{server}' of the agent's tools is not available to this project",
                    node=node.key,
                    field="tools",
                    hint=HINT.format(listing),
                )


def _text_literal(source: object) -> str | None:
    """The text of an expression that is just a string literal (`'packages'`), else None."""
    if not isinstance(source, str):
        return None
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # the expression checks report it
    return tree.value if isinstance(tree, ast.Constant) and isinstance(tree.value, str) else None
