"""The OpenAI-compatible provider against a local chat-completions stand-in."""

import json
import sys
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from compiler.activities.agent import agent
from tests.compiler.activity_context import PROJECT, run_in_project
from tests.compiler.stub_http_server import StubHttpServer, json_response

SERVER_SCRIPT = str(Path(__file__).with_name("mcp_test_server.py"))


def chat_completions(request):
    """First a tool call, then (once the tool result is in the conversation) a final answer."""
    body = json.loads(request["body"])
    if request["path"] != "/v1/chat/completions":
        return json_response({"error": "not found"}, status=404)
    if body["model"] == "overloaded":
        return json_response({"error": "slow down"}, status=429)
    if not any(message["role"] == "tool" for message in body["messages"]):
        call = {"id": "call_1", "type": "function", "function": {"name": "test__add", "arguments": '{"a": 2, "b": 3}'}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
    else:
        total = json.loads(body["messages"][-1]["content"])["sum"]
        message = {"role": "assistant", "content": json.dumps({"answer": total})}
    return json_response({"choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})


@pytest.fixture
def provider(settings):
    with StubHttpServer(chat_completions) as stub:
        settings.AGENT_PROVIDER = {"kind": "openai", "base_url": f"{stub.url}/v1", "model": "m-1", "api_key": "k-123"}
        settings.MCP_SERVERS = {
            "test": {"transport": "stdio", "command": sys.executable, "args": [SERVER_SCRIPT], "projects": [PROJECT]}
        }
        yield stub


def test_tool_call_round_trip_and_final_structured_answer(provider):
    schema = {"type": "object", "properties": {"answer": {"type": "integer"}}, "required": ["answer"]}
    result = run_in_project(agent, prompt="Add two and three", tools=["test.add"], output_schema=schema)
    assert result == {
        "output": {"answer": 5},
        "turns": 2,
        "tool_calls": [{"name": "test.add", "arguments": {"a": 2, "b": 3}, "result": {"sum": 5}, "error": None}],
    }
    first, second = (json.loads(request["body"]) for request in provider.requests)
    assert provider.requests[0]["headers"]["Authorization"] == "Bearer k-123"
    assert first["model"] == "m-1"
    assert [tool["function"]["name"] for tool in first["tools"]] == ["test__add"]
    assert first["tools"][0]["function"]["parameters"]["required"] == ["a", "b"]
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert second["messages"][2]["tool_calls"][0]["function"] == {"name": "test__add", "arguments": '{"a": 2, "b": 3}'}
    assert second["messages"][3] == {"role": "tool", "tool_call_id": "call_1", "content": '{"sum": 5}'}


def test_rate_limit_is_a_retryable_provider_error(provider):
    with pytest.raises(ApplicationError, match="answered 429") as caught:
        run_in_project(agent, prompt="Hi", model="overloaded")
    assert caught.value.type == "AgentProviderError" and not caught.value.non_retryable


def test_missing_base_url_is_a_configuration_error(settings):
    settings.AGENT_PROVIDER = {"kind": "openai", "base_url": ""}
    with pytest.raises(ApplicationError, match="needs a base_url") as caught:
        run_in_project(agent, prompt="Hi")
    assert caught.value.non_retryable
