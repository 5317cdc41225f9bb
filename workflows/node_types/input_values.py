"""Whether a value fits the typed fields a workflow declares (start `input_fields`, handler payload fields).

One check for every place a value meets its fields: a run's input and a
signal's or update's payload (compiler.runs), a schedule's `cron_input`
(compiler.schedules) and the start node's example input, checked when the
graph is validated (builtin/start.py). It lives in the graph domain so the
node types can use it, and returns messages rather than raising Django's
ValidationError, which the pure compiler passes may not import
(compiler.runs.control.check_fields raises it).
"""

from __future__ import annotations

from typing import Any

from .fields import TYPE_WORDS, VALUE_CHECKS, must_be_given


def field_problems(fields: list[dict], values: Any, *, what: str) -> dict[str, list[str]]:
    """Each missing, mistyped, empty or unknown field of `values` with its messages ({} when it fits).

    A required text field refuses "" (and blanks) unless it declares `allow_empty`:
    an empty id would otherwise name children `build--auth`.
    """
    if not isinstance(values, dict):
        expected = ", ".join(f["name"] for f in fields) or "any keys"
        return {what: [f"must be a JSON object (fields: {expected})"]}
    errors: dict[str, list[str]] = {}
    declared = {f["name"]: f for f in fields}
    for name, spec in declared.items():
        if name not in values:
            if must_be_given(spec):
                errors[name] = [f"is required ({TYPE_WORDS.get(spec.get('type'), 'any value')})"]
            continue
        kind = spec.get("type", "any")
        if not VALUE_CHECKS.get(kind, VALUE_CHECKS["any"])(values[name]):
            errors[name] = [f"must be {TYPE_WORDS[kind]}, not {type(values[name]).__name__}"]
        elif kind == "str" and spec.get("required") and not spec.get("allow_empty") and not values[name].strip():
            errors[name] = ["is required and must not be empty"]
    if declared:
        for name in sorted(set(values) - set(declared)):
            errors[str(name)] = [f"is not a declared field (declared: {', '.join(declared)})"]
    return errors
