"""The packages MCP server, started over stdio exactly as the `mcp_call` activity starts it."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from compiler.activities.mcp_call import mcp_call
from compiler.activities.mcp_tools import connect, tool_result_value
from tests.compiler.activity_context import run_in_project
from tests.examples.seeded import PROJECT_SLUG

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue_file(tmp_path, settings):
    path = tmp_path / "queue.json"
    settings.MCP_SERVERS = {
        "packages": {
            "transport": "stdio",
            "command": sys.executable,
            "args": ["-m", "examples.package_management.mcp_server"],
            "env": {"PACKAGES_QUEUE_FILE": str(path)},
            "cwd": str(REPO),
            "projects": [PROJECT_SLUG],
        }
    }
    return path


def call(tool: str, **arguments):
    """`mcp_call` as an activity of the seeded project, the one the server serves."""
    return run_in_project(mcp_call, server="packages", tool=tool, arguments=arguments, project=PROJECT_SLUG)


async def session(settings, calls: list[tuple[str, dict]]) -> list:
    """Several calls over one server process."""
    async with connect(settings.MCP_SERVERS, "packages") as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        results = [tool_result_value(await client.call_tool(name, arguments)) for name, arguments in calls]
    return [tools, *results]


def test_build_queue_is_by_priority_without_blocked_packages(queue_file, settings):
    tools, default, limited, everything = asyncio.run(session(settings, [
        ("packages_get_build_queue", {}),
        ("packages_get_build_queue", {"limit": 2}),
        ("packages_get_build_queue", {"limit": 10, "exclude_blocked": False}),
    ]))  # fmt: skip
    assert tools == {"packages_get_build_queue", "packages_update"}
    assert [p["name"] for p in default["packages"]] == ["core-utils", "config-loader", "logger", "metrics"]
    assert default["total"] == 4
    assert default["packages"][1] == {
        "name": "config-loader", "priority": 8, "dependencies": ["core-utils"], "category": "library",
        "status": "queued",
    }  # fmt: skip
    assert [p["name"] for p in limited["packages"]] == ["core-utils", "config-loader"]
    assert everything["packages"][1]["name"] == "legacy-adapter"
    assert not queue_file.exists(), "reading must not create the queue file"


def test_updates_persist_across_server_processes(queue_file):
    assert call("packages_update", name="core-utils", status="published") == {
        "name": "core-utils", "status": "published", "previous": "queued",
    }  # fmt: skip
    assert call("packages_update", name="brand-new", status="queued")["previous"] is None
    names = [p["name"] for p in call("packages_get_build_queue", limit=10, exclude_blocked=True)["packages"]]
    assert names == ["config-loader", "logger", "metrics", "brand-new"]
    stored = {p["name"]: p["status"] for p in json.loads(queue_file.read_text())["packages"]}
    assert stored["core-utils"] == "published"


def test_bad_arguments_are_clear_tool_errors(queue_file):
    with pytest.raises(ApplicationError, match="status must be one of queued, building") as raised:
        call("packages_update", name="core-utils", status="done")
    assert raised.value.type == "McpToolError"
    with pytest.raises(ApplicationError, match="limit must be at least 1"):
        call("packages_get_build_queue", limit=0)


def test_the_server_starts_as_configured_in_settings(settings, tmp_path):
    configured = settings.MCP_SERVERS["packages"]
    settings.MCP_SERVERS = {"packages": {**configured, "env": {"PACKAGES_QUEUE_FILE": str(tmp_path / "q.json")}}}
    assert call("packages_get_build_queue", limit=1)["total"] == 4
