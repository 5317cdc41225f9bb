"""The mcp_call built-in against a real MCP server (tests/compiler/mcp_test_server.py)."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from compiler.activities.agent import agent
from compiler.activities.mcp_call import mcp_call
from tests.compiler.activity_context import PROJECT, run_in_project
from tests.ports import free_port

SERVER_SCRIPT = str(Path(__file__).with_name("mcp_test_server.py"))


@pytest.fixture
def stdio_server(settings):
    settings.MCP_SERVERS = {
        "test": {"transport": "stdio", "command": sys.executable, "args": [SERVER_SCRIPT], "projects": [PROJECT]}
    }


def test_structured_content_is_returned(stdio_server):
    assert run_in_project(mcp_call, "test", "add", {"a": 2, "b": 40}) == {"sum": 42}


def test_json_text_content_is_parsed_and_plain_text_kept(stdio_server):
    assert run_in_project(mcp_call, "test", "lookup", {"name": "api"})["dependencies"] == ["core"]
    assert run_in_project(mcp_call, "test", "echo", {"text": "hello"}) == "hello"


def test_tool_error_is_a_non_retryable_error_with_its_message(stdio_server):
    with pytest.raises(ApplicationError) as caught:
        run_in_project(mcp_call, "test", "lookup", {"name": "ghost"})
    assert caught.value.type == "McpToolError" and caught.value.non_retryable
    assert "MCP tool test.lookup failed" in caught.value.message
    assert "no package named 'ghost'" in caught.value.message


def test_unknown_server_names_the_configured_ones(stdio_server):
    with pytest.raises(ApplicationError, match=r"unknown MCP server 'nope'; configured servers: test") as caught:
        run_in_project(mcp_call, "nope", "add")
    assert caught.value.type == "McpServerUnknown"


def test_server_command_that_cannot_start_is_reported(settings):
    settings.MCP_SERVERS = {"gone": {"transport": "stdio", "command": "/nonexistent/mcp-server", "projects": [PROJECT]}}
    with pytest.raises(ApplicationError, match="cannot start MCP server 'gone'"):
        run_in_project(mcp_call, "gone", "add")


def test_misconfigured_server_is_reported(settings):
    settings.MCP_SERVERS = {"half": {"transport": "http", "projects": [PROJECT]}}
    with pytest.raises(ApplicationError, match="MCP server 'half' is misconfigured"):
        run_in_project(mcp_call, "half", "add")


@pytest.fixture
def http_server(settings):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, SERVER_SCRIPT, "--http", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the MCP test server did not start listening") from None
            time.sleep(0.1)
    settings.MCP_SERVERS = {
        "remote": {"transport": "http", "url": f"http://127.0.0.1:{port}/mcp", "projects": [PROJECT]}
    }
    yield
    process.terminate()
    process.wait(10)


def test_streamable_http_transport(http_server):
    assert run_in_project(mcp_call, "remote", "add", {"a": 1, "b": 1}) == {"sum": 2}


def test_a_server_of_another_project_is_refused_before_it_starts(stdio_server):
    with pytest.raises(ApplicationError) as caught:
        run_in_project(mcp_call, "test", "add", {"a": 2, "b": 40}, project="intruders")
    assert caught.value.type == "McpServerNotAllowed" and caught.value.non_retryable
    assert "MCP server 'test' is not available to project 'intruders'; its servers: none" in caught.value.message


def test_a_server_without_a_projects_list_serves_no_project(settings):
    settings.MCP_SERVERS = {"open": {"transport": "stdio", "command": sys.executable, "args": [SERVER_SCRIPT]}}
    with pytest.raises(ApplicationError, match="MCP server 'open' is not available to project 'tests'"):
        run_in_project(mcp_call, "open", "add", {"a": 1, "b": 1})


def test_agent_tools_of_another_projects_server_are_refused(stdio_server, settings):
    settings.AGENT_PROVIDER = {"kind": "scripted", "script": []}
    with pytest.raises(ApplicationError) as caught:
        run_in_project(agent, prompt="Check package", tools=["test.add"], project="intruders")
    assert caught.value.type == "McpServerNotAllowed"
