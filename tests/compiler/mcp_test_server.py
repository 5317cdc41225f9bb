"""A tiny MCP server for the activity tests, run as a stdio subprocess.

Started with ``python tests/compiler/mcp_test_server.py`` (or
``... --http PORT`` for the streamable HTTP transport). Its tools are
deterministic so tests can assert on exact results, and cover the three
result shapes: structured content (``add``), JSON text (``lookup``) and
plain text (``echo``).
"""

import sys
from typing import TypedDict

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

server = MCPServer("activity-tests")

PACKAGES = {
    "core": {"name": "core", "version": "1.2.0", "dependencies": []},
    "api": {"name": "api", "version": "0.3.1", "dependencies": ["core"]},
}


class Sum(TypedDict):
    sum: int


@server.tool(description="Add two integers.")
def add(a: int, b: int) -> Sum:
    return {"sum": a + b}


@server.tool(description="Look up a package by name.")
def lookup(name: str) -> dict:
    if name not in PACKAGES:
        raise ToolError(f"no package named {name!r}")
    return PACKAGES[name]


@server.tool(description="Echo a text back, unstructured.", structured_output=False)
def echo(text: str) -> str:
    return text


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run()
