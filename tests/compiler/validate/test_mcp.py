"""compiler/validate/mcp.py: a graph may name only its project's MCP servers."""

from __future__ import annotations

import sys

from compiler.project_reader import compile_project
from compiler.validate.graph import validate
from tests.compiler.validate_helpers import flow, n
from tests.factories import make_project, make_user
from workflows.services import workflow_import


def _mcp_errors(graph, servers) -> list[tuple[str, str | None, str]]:
    return [(d.node, d.field, d.message) for d in validate(graph, mcp_servers=servers) if d.is_error]


def test_mcp_call_on_a_server_of_another_project_is_an_error_on_the_server_argument():
    graph = flow(n("fetch", "activity", activity="mcp_call", args={"server": "'billing'", "tool": "'list'"}))
    assert _mcp_errors(graph, ["packages"]) == [
        ("fetch", "args.server", "MCP server 'billing' is not available to this project")
    ]
    assert _mcp_errors(graph, ["billing", "packages"]) == []


def test_agent_tools_on_a_server_of_another_project_are_an_error_on_tools():
    graph = flow(n("ask", "agent", prompt="Which?", tools=["packages.lookup", "billing.*"]))
    assert _mcp_errors(graph, ["packages"]) == [
        ("ask", "tools", "MCP server 'billing' of the agent's tools is not available to this project")
    ]


def test_a_computed_server_name_is_left_to_the_activity():
    graph = flow(n("fetch", "activity", activity="mcp_call", args={"server": "input.server", "tool": "'list'"}))
    assert _mcp_errors(graph, []) == []


def test_compile_project_checks_the_servers_the_project_is_listed_on(db, settings):
    settings.MCP_SERVERS = {"packages": {"transport": "stdio", "command": sys.executable, "projects": ["allowed"]}}
    document = {
        "identifier": "poller",
        "nodes": [
            {"key": "start", "type": "start"},
            {"key": "fetch", "type": "activity", "config": {"activity": "mcp_call", "args": {
                "server": "'packages'", "tool": "'queue'"}}},
        ],
        "edges": [{"source": "start", "target": "fetch"}],
    }  # fmt: skip
    results = {}
    for name in ("Allowed", "Other"):
        project = make_project(make_user(), name=name)
        workflow_import(project=project, user=None, document=document)
        results[name] = compile_project(project)["poller"]
    assert results["Allowed"].ok
    [problem] = [d for d in results["Other"].diagnostics if d.is_error]
    assert (problem.node, problem.field) == ("fetch", "args.server")
    assert "project's MCP servers (none)" in problem.hint
