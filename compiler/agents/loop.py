"""The agent loop: ask the model, run the tools it asks for, repeat until it answers.

Kept free of MCP and Django: tools arrive as specs plus one ``call_tool``
function, so the loop is testable with any provider and any tool source.
"""

from __future__ import annotations

import json
import string
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from temporalio.exceptions import ApplicationError

from compiler.agents.base import AgentProvider, ToolSpec
from compiler.agents.schema import parse_structured

CallTool = Callable[[str, dict[str, Any]], Awaitable[tuple[Any, str | None]]]


def fill_prompt(template: str, context: Mapping[str, Any] | None) -> str:
    """``$name`` placeholders from ``context``; non-text values as JSON, unknown names left as-is."""
    values = {key: value if isinstance(value, str) else json.dumps(value) for key, value in (context or {}).items()}
    return string.Template(template).safe_substitute(values)


async def run_agent(
    *,
    provider: AgentProvider,
    prompt: str,
    context: Mapping[str, Any] | None = None,
    model: str | None = None,
    tools: list[ToolSpec] | None = None,
    call_tool: CallTool | None = None,
    output_schema: dict[str, Any] | None = None,
    max_turns: int = 5,
) -> dict[str, Any]:
    """Returns ``{"output", "turns", "tool_calls"}``.

    A turn is one model reply. A failing tool call is reported back to the
    model as ``{"error": ...}``; an answer that does not match
    ``output_schema`` is sent back with the problem, so the model can correct
    itself. Running out of turns raises a non-retryable
    ``AgentMaxTurnsExceeded`` naming the last problem.
    """
    if not isinstance(max_turns, int) or max_turns < 1:
        raise ApplicationError(
            f"agent: max_turns must be at least 1, got {max_turns!r}", type="BadActivityArguments", non_retryable=True
        )
    messages: list[dict[str, Any]] = []
    if output_schema is not None:
        messages.append(
            {
                "role": "system",
                "content": "Give your final answer as JSON only, matching this JSON schema: "
                + json.dumps(output_schema),
            }
        )
    messages.append({"role": "user", "content": fill_prompt(prompt, context)})
    calls: list[dict[str, Any]] = []
    problem = "the model asked for tools on every turn"
    for turn in range(1, max_turns + 1):
        reply = await provider.complete(messages, tools or [], model)
        if reply.tool_calls:
            messages.append(
                {
                    "role": "assistant",
                    "content": reply.text,
                    "tool_calls": [{"id": c.id, "name": c.name, "arguments": c.arguments} for c in reply.tool_calls],
                }
            )
            for call in reply.tool_calls:
                if call_tool is None:
                    value, error = None, f"no tools are available, but the model called {call.name!r}"
                else:
                    value, error = await call_tool(call.name, call.arguments)
                calls.append({"name": call.name, "arguments": call.arguments, "result": value, "error": error})
                content = json.dumps({"error": error} if error else value)
                messages.append({"role": "tool", "tool_call_id": call.id, "name": call.name, "content": content})
            continue
        text = reply.text or ""
        if output_schema is None:
            return {"output": text, "turns": turn, "tool_calls": calls}
        output, problem = parse_structured(text, output_schema)
        if problem is None:
            return {"output": output, "turns": turn, "tool_calls": calls}
        messages.append({"role": "assistant", "content": text})
        messages.append({"role": "user", "content": f"That answer is not valid: {problem}. Answer again."})
    raise ApplicationError(
        f"agent gave no valid answer in {max_turns} turn(s): {problem}",
        type="AgentMaxTurnsExceeded",
        non_retryable=True,
    )
