"""An offline agent provider that replays a script: for tests and the demo.

A script is a list of rules. The first rule whose ``match`` (substring) or
``regex`` is found in the prompt (the first user message) answers; its
``replies`` are used in order, one per model turn, the last one repeating:

    [
        {"match": "fix the failing tests",
         "replies": [
             {"tool_calls": [{"name": "packages.apply_fix", "arguments": {"package": "api"}}]},
             {"text": "{\"fixed\": true, \"details\": $tool_result}"},
         ]},
        {"regex": "scaffold .*", "replies": [{"json": {"ok": true}}]},
    ]

A reply is one of ``tool_calls``, ``text`` (``$tool_result`` is replaced by
the JSON of the latest tool result) or ``json`` (any JSON value, sent as its
text). When no rule matches, the answer is ``DEFAULT_REPLY``.
"""

from __future__ import annotations

import importlib
import json
import re
import string
from pathlib import Path
from typing import Any

from compiler.agents.base import ProviderReply, ToolCall, ToolSpec

DEFAULT_REPLY = json.dumps({"ok": True, "note": "scripted agent provider: no rule matched this prompt"})


class ScriptError(ValueError):
    """The script is malformed; the message names the rule and what is wrong."""


class ScriptedProvider:
    def __init__(self, script: list[dict[str, Any]]) -> None:
        self.rules = [_check_rule(index, rule) for index, rule in enumerate(script)]

    async def complete(self, messages: list[dict[str, Any]], tools: list[ToolSpec], model: str | None) -> ProviderReply:
        prompt = next((m["content"] for m in messages if m["role"] == "user"), "")
        rule = next((rule for rule in self.rules if _matches(rule, prompt)), None)
        if rule is None:
            return ProviderReply(text=DEFAULT_REPLY)
        turn = sum(1 for message in messages if message["role"] == "assistant")
        reply = rule["replies"][min(turn, len(rule["replies"]) - 1)]
        if "tool_calls" in reply:
            calls = [
                ToolCall(name=call["name"], arguments=call.get("arguments", {}), id=f"call-{turn}-{index}")
                for index, call in enumerate(reply["tool_calls"])
            ]
            return ProviderReply(text=None, tool_calls=calls)
        if "json" in reply:
            return ProviderReply(text=json.dumps(reply["json"]))
        last_result = next((m["content"] for m in reversed(messages) if m["role"] == "tool"), "null")
        return ProviderReply(text=string.Template(reply["text"]).safe_substitute(tool_result=last_result))


def _matches(rule: dict[str, Any], prompt: str) -> bool:
    if "regex" in rule:
        return re.search(rule["regex"], prompt) is not None
    return rule["match"] in prompt


def _check_rule(index: int, rule: Any) -> dict[str, Any]:
    where = f"agent script rule {index + 1}"
    if not isinstance(rule, dict) or ("match" in rule) == ("regex" in rule):
        raise ScriptError(f"{where}: needs exactly one of 'match' (substring) or 'regex'")
    if "regex" in rule:
        try:
            re.compile(rule["regex"])
        except re.error as error:
            raise ScriptError(f"{where}: bad regex {rule['regex']!r}: {error}") from error
    replies = rule.get("replies")
    if not isinstance(replies, list) or not replies:
        raise ScriptError(f"{where}: 'replies' must be a non-empty list")
    for number, reply in enumerate(replies, start=1):
        kinds = [kind for kind in ("tool_calls", "text", "json") if isinstance(reply, dict) and kind in reply]
        if len(kinds) != 1:
            raise ScriptError(f"{where}, reply {number}: needs exactly one of 'tool_calls', 'text' or 'json'")
        if kinds == ["tool_calls"] and not all(isinstance(c, dict) and "name" in c for c in reply["tool_calls"]):
            raise ScriptError(f"{where}, reply {number}: each tool call needs a 'name'")
    return rule


def load_script(ref: str | list | None) -> list[dict[str, Any]]:
    """A script given inline (a list), as a JSON file path, or as ``dotted.module.ATTRIBUTE``."""
    if ref is None or ref == "":
        return []
    if isinstance(ref, list):
        return ref
    if ref.endswith(".json"):
        try:
            return json.loads(Path(ref).read_text())
        except (OSError, ValueError) as error:
            raise ScriptError(f"cannot read agent script file {ref!r}: {error}") from error
    module_path, _, attribute = ref.rpartition(".")
    try:
        return getattr(importlib.import_module(module_path), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise ScriptError(f"cannot load agent script {ref!r} (expected dotted.module.ATTRIBUTE): {error}") from error
