"""The agent built-in with the scripted provider, calling tools on a real MCP server."""

import json
import sys
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from compiler.activities.agent import agent
from compiler.agents.loop import fill_prompt
from compiler.agents.schema import parse_structured, schema_errors
from compiler.agents.scripted import DEFAULT_REPLY, ScriptedProvider, load_script
from tests.compiler.activity_context import PROJECT, run_in_project

SERVER_SCRIPT = str(Path(__file__).with_name("mcp_test_server.py"))
RESULT_SCHEMA = {
    "type": "object",
    "properties": {"package": {"type": "string"}, "sum": {"type": "integer"}},
    "required": ["package", "sum"],
}
SCRIPT = [
    {
        "match": "Check package",
        "replies": [
            {"tool_calls": [{"name": "test.lookup", "arguments": {"name": "api"}}]},
            {"tool_calls": [{"name": "test.add", "arguments": {"a": 20, "b": 22}}]},
            {"text": '```json\n{"package": "api", "sum": $tool_result}\n```'},
        ],
    },
    {"regex": r"^Broken \w+", "replies": [{"text": "not json at all"}]},
    {
        "match": "Ghost",
        "replies": [
            {"tool_calls": [{"name": "test.lookup", "arguments": {"name": "ghost"}}]},
            {"json": {"found": False}},
        ],
    },
]


@pytest.fixture
def scripted(settings):
    settings.AGENT_PROVIDER = {"kind": "scripted", "script": SCRIPT}
    settings.MCP_SERVERS = {
        "test": {"transport": "stdio", "command": sys.executable, "args": [SERVER_SCRIPT], "projects": [PROJECT]}
    }


def test_agent_calls_mcp_tools_and_returns_output_matching_the_schema(scripted):
    result = run_in_project(
        agent,
        prompt="Check package $package at $where",
        context={"package": "api", "where": {"root": "/ws"}},
        tools=["test.*"],
        output_schema={
            "type": "object",
            "properties": {"package": {"type": "string"}, "sum": {"type": "object"}},
            "required": ["package", "sum"],
        },
    )
    assert result["output"] == {"package": "api", "sum": {"sum": 42}}
    assert result["turns"] == 3
    assert result["tool_calls"] == [
        {
            "name": "test.lookup",
            "arguments": {"name": "api"},
            "result": {"name": "api", "version": "0.3.1", "dependencies": ["core"]},
            "error": None,
        },
        {"name": "test.add", "arguments": {"a": 20, "b": 22}, "result": {"sum": 42}, "error": None},
    ]


def test_output_that_never_matches_the_schema_stops_after_max_turns(scripted):
    with pytest.raises(ApplicationError) as caught:
        run_in_project(agent, prompt="Broken answer", output_schema=RESULT_SCHEMA, max_turns=2)
    assert caught.value.type == "AgentMaxTurnsExceeded" and caught.value.non_retryable
    assert "agent gave no valid answer in 2 turn(s): the answer is not JSON" in caught.value.message


def test_a_failing_tool_is_reported_to_the_model_not_raised(scripted):
    result = run_in_project(agent, prompt="Ghost hunt", tools=["test.lookup"])
    assert result["output"] == '{"found": false}'
    assert result["tool_calls"][0]["error"].endswith("no package named 'ghost'")


def test_asking_for_a_tool_the_server_lacks_fails_clearly(scripted):
    with pytest.raises(ApplicationError, match="MCP server 'test' has no tool subtract; it offers add, echo, lookup"):
        run_in_project(agent, prompt="Check package", tools=["test.subtract"])


def test_unmatched_prompt_gets_the_default_reply(scripted):
    assert run_in_project(agent, prompt="Something else")["output"] == DEFAULT_REPLY


def test_tool_calls_without_tools_are_answered_with_an_error(scripted):
    result = run_in_project(agent, prompt="Check package", max_turns=3)
    assert result["tool_calls"][0]["error"] == "no tools are available, but the model called 'test.lookup'"


def test_script_loads_from_a_json_file_and_a_dotted_path(tmp_path):
    path = tmp_path / "script.json"
    path.write_text(json.dumps(SCRIPT))
    assert load_script(str(path)) == SCRIPT
    assert load_script("tests.compiler.test_activities_agent.SCRIPT") is SCRIPT
    assert load_script(None) == []


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ([{"replies": [{"text": "x"}]}], "rule 1: needs exactly one of 'match'"),
        ([{"match": "a", "replies": []}], "rule 1: 'replies' must be a non-empty list"),
        ([{"match": "a", "replies": [{"text": "x", "json": 1}]}], "rule 1, reply 1: needs exactly one of"),
        ([{"regex": "(", "replies": [{"text": "x"}]}], "rule 1: bad regex"),
    ],
)
def test_malformed_scripts_are_rejected_with_the_rule_named(script, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        ScriptedProvider(script)


def test_misconfigured_provider_is_a_clear_error(settings):
    settings.AGENT_PROVIDER = {"kind": "scripted", "script": "examples.no_such.SCRIPT"}
    with pytest.raises(ApplicationError, match="cannot load agent script 'examples.no_such.SCRIPT'"):
        run_in_project(agent, prompt="x")
    settings.AGENT_PROVIDER = {"kind": "oracle"}
    with pytest.raises(ApplicationError, match="kind 'oracle' is unknown"):
        run_in_project(agent, prompt="x")


def test_prompt_template_fills_known_names_and_keeps_the_rest():
    assert fill_prompt("Fix $pkg ($info) costs $$5, $unknown", {"pkg": "api", "info": [1]}) == (
        "Fix api ([1]) costs $5, $unknown"
    )


def test_schema_errors_name_the_path():
    schema = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"type": "object", "required": ["name"]}},
            "state": {"enum": ["ok", "failed"]},
            "count": {"type": ["integer", "null"]},
        },
        "additionalProperties": False,
    }
    value = {"items": [{"name": "a"}, {}], "state": "odd", "count": True, "extra": 1}
    assert schema_errors(value, schema) == [
        "$.items[1]: missing required property 'name'",
        '$.state: "odd" is not one of ["ok", "failed"]',
        "$.count: expected integer or null, got boolean",
        "$: unexpected property 'extra'",
    ]
    assert parse_structured('{"count": 3}', schema) == ({"count": 3}, None)
