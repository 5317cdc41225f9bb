"""A small JSON-schema checker for agent outputs.

Agents are told to answer in a shape the next node can rely on; this checks
the subset of JSON Schema such shapes use: ``type`` (one or a list),
``properties``, ``required``, ``additionalProperties: false``, ``items`` and
``enum``. Other keywords are ignored. Errors name the JSON path, e.g.
``$.packages[2].name: expected string, got integer``.
"""

from __future__ import annotations

import json
from typing import Any

_CHECKS = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Every way ``value`` departs from ``schema``; empty when it matches."""
    expected = schema.get("type")
    if expected is not None:
        types = [expected] if isinstance(expected, str) else list(expected)
        unknown = [name for name in types if name not in _CHECKS]
        if unknown:
            return [f"{path}: schema has unknown type {', '.join(unknown)}"]
        if not any(_CHECKS[name](value) for name in types):
            return [f"{path}: expected {' or '.join(types)}, got {_json_type(value)}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {json.dumps(value)} is not one of {json.dumps(schema['enum'])}"]
    errors: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [
            f"{path}: missing required property {name!r}" for name in schema.get("required", []) if name not in value
        ]
        for name, item in value.items():
            if name in properties:
                errors += schema_errors(item, properties[name], f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected property {name!r}")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{path}[{index}]")
    return errors


def _json_type(value: Any) -> str:
    return next(
        (name for name, check in _CHECKS.items() if name != "number" and check(value)),
        "number" if isinstance(value, float) else type(value).__name__,
    )


def parse_structured(text: str, schema: dict[str, Any]) -> tuple[Any, str | None]:
    """Parse a model's final answer as JSON and check it; returns (value, problem)."""
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    try:
        value = json.loads(body)
    except ValueError as error:
        return None, f"the answer is not JSON ({error})"
    errors = schema_errors(value, schema)
    return value, "; ".join(errors) if errors else None
