"""The inspector form: node-type fields to HTML inputs and the posted form back to a config.

The node type's `Field`s (workflows/node_types/fields.py) are the schema:
each kind gets a widget, and `config_from_post` turns the posted strings
back into the values `clean_config` expects. Structured kinds that have no
natural single input (input fields, signal actions, JSON) are edited as
JSON text; a parse error is reported on that field like any other error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from workflows.input_checks import InputError, parse_json
from workflows.node_types import RETRY_PRESETS, Field, NodeType
from workflows.node_types.fields import RETRY_KEYS

PREFIX = "cfg-"
JSON_KINDS = {"json", "input_fields", "signal_actions"}
TEXT_KINDS = {"text", "identifier", "slug", "cron", "timezone", "text_list"}
EMPTY_ROWS = 2
RETRY_LABELS = {
    "max_attempts": "Max attempts (0 = unlimited)",
    "initial_interval": "First retry after (s)",
    "backoff_coefficient": "Backoff multiplier",
    "maximum_interval": "Max interval (s, empty = none)",
    "non_retryable_errors": "Non-retryable errors (comma separated)",
}


@dataclass
class FieldView:
    """One inspector input; `name` is the form name, `value` the text shown."""

    spec: Field
    name: str
    widget: str  # text, textarea, expression, number, checkbox, select, json, rows, retry
    value: Any = ""
    errors: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)
    step: str = "1"
    # Other fields are shown or hidden by this one's value: a change re-renders the inspector (unsaved).
    refreshes: bool = False

    @property
    def dom_id(self) -> str:
        return f"field-{self.spec.name}"

    @property
    def choice_values(self) -> list[str]:
        return [value for value, _ in self.choices]


def _widget(spec: Field) -> str:
    if spec.kind in TEXT_KINDS:
        return "text"
    return {
        "longtext": "textarea",
        "expression": "expression",
        "int": "number",
        "float": "number",
        "bool": "checkbox",
        "choice": "select",
        "expression_map": "rows",
        "retry_policy": "retry",
    }.get(spec.kind, "json")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def field_views(
    node_type: NodeType, config: dict, errors: dict[str, list[str]], *, activities: dict | None = None
) -> list[FieldView]:
    """Inputs for the fields that apply to `config` (saved or just posted), with their errors."""
    views = []
    controlling = {spec.shown_when[0] for spec in node_type.fields if spec.shown_when}
    for spec in node_type.fields:
        if not spec.applies(config, node_type.fields):
            continue
        value = config.get(spec.name, spec.initial())
        view = FieldView(spec, PREFIX + spec.name, _widget(spec), errors=errors.get(spec.name, []))
        view.refreshes = spec.name in controlling
        if view.widget == "checkbox":
            view.value = bool(value)
        elif view.widget == "select":
            view.choices = [(c, c.replace("_", " ")) for c in spec.choices]
            view.value = value or ""
        elif view.widget == "json":
            view.value = value if isinstance(value, str) else ("" if value is None else json.dumps(value, indent=2))
        elif view.widget == "rows":
            view.rows = _rows(value, node_type, config, activities)
        elif view.widget == "retry":
            view.parts = _retry_parts(value if isinstance(value, dict) else {})
            view.choices = [(preset.name, preset.name) for preset in RETRY_PRESETS]
        elif spec.kind == "text_list":
            view.value = ", ".join(value) if isinstance(value, list) else _text(value)
        else:
            view.value = _text(value)
            view.step = "any" if spec.kind == "float" else "1"
        if node_type.name == "activity" and spec.name == "activity" and activities is not None:
            view.widget = "activity"
            view.choices = [(name, name) for name in sorted(activities)]
        views.append(view)
    return views


def _rows(value: Any, node_type: NodeType, config: dict, activities: dict | None) -> list[tuple[str, str]]:
    """Argument rows: the activity's declared arguments first, then any others, then empty rows."""
    value = value if isinstance(value, dict) else {}
    names: list[str] = []
    spec = (activities or {}).get(config.get("activity")) if node_type.name == "activity" else None
    if spec is not None:
        names += [arg.name for arg in spec.args]
    names += [name for name in value if name not in names]
    return [(name, _text(value.get(name, ""))) for name in names] + [("", "")] * EMPTY_ROWS


def _retry_parts(policy: dict) -> list[dict]:
    merged = {**RETRY_KEYS, **policy}
    parts = []
    for key in RETRY_KEYS:
        value = merged[key]
        text = ", ".join(value) if isinstance(value, list) else _text(value)
        parts.append({"key": key, "label": RETRY_LABELS[key], "value": text})
    return parts


def config_from_post(node_type: NodeType, post, saved: dict) -> tuple[dict, dict[str, list[str]]]:
    """The posted inspector form as a raw config (for clean_config) and the parse errors.

    A field that does not apply to the posted values, or that was hidden when
    the form was drawn (no input of it posted), keeps its `saved` value: a
    start node switched to manual and back loses no schedule settings.
    """
    config, errors = _posted_config(node_type, post)
    for spec in node_type.fields:
        name = PREFIX + spec.name
        hidden = spec.shown_when is not None and not any(k == name or k.startswith(f"{name}-") for k in post)
        if hidden or not spec.applies(config, node_type.fields):
            config.pop(spec.name, None)
            errors.pop(spec.name, None)
            if spec.name in saved:
                config[spec.name] = saved[spec.name]
    return config, errors


def _posted_config(node_type: NodeType, post) -> tuple[dict, dict[str, list[str]]]:
    config: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in node_type.fields:
        name = PREFIX + spec.name
        widget = _widget(spec)
        if widget == "checkbox":
            config[spec.name] = name in post
        elif widget == "rows":
            keys, values = post.getlist(f"{name}-key"), post.getlist(f"{name}-value")
            # A row left empty passes nothing (the activity's default applies), like the empty rows offered.
            pairs = zip(keys, values, strict=False)
            config[spec.name] = {k.strip(): v for k, v in pairs if k.strip() and v.strip()}
        elif widget == "retry":
            config[spec.name] = _retry_from_post(name, post)
        elif widget == "json":
            text = post.get(name, "").strip()
            if not text:
                continue
            try:
                config[spec.name] = parse_json(text)
            except InputError as error:
                errors[spec.name] = [str(error)]
        else:
            text = post.get(name, "")
            if text.strip():
                config[spec.name] = text
    return config, errors


def _retry_from_post(name: str, post) -> dict:
    preset = post.get(f"{name}-preset", "")
    chosen = next((p for p in RETRY_PRESETS if p.name == preset), None)
    if chosen is not None:
        return {**RETRY_KEYS, **chosen.policy}
    policy: dict[str, Any] = {}
    for key in RETRY_KEYS:
        text = post.get(f"{name}-{key}", "").strip()
        if key == "non_retryable_errors":
            policy[key] = [part.strip() for part in text.split(",") if part.strip()]
        elif key == "maximum_interval":
            policy[key] = text or None
        elif text:
            policy[key] = text
    return policy


def save_errors(node_type: NodeType, raw: dict, parse_errors: dict[str, list[str]]) -> tuple[dict, dict]:
    """Cleaned config and every field error (parse errors win over schema errors for the same field)."""
    cleaned, errors = node_type.clean_config({k: v for k, v in raw.items() if k not in parse_errors})
    for name, messages in parse_errors.items():
        errors[name] = messages
    return cleaned, errors
