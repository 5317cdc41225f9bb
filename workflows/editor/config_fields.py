"""Form fields for node-type fields: how each kind is read from a post, cleaned and shown.

`ConfigField` wraps one `Field` declaration: the widget (widgets.py) reads
the posted inputs as typed, `clean` asks the declaration
(`Field.clean_value`) and turns its ConfigError into Django's
ValidationError. `ConfigBoundField` is what templates/workflows/_field.html
reads: the markup kind, the value as text, argument rows, retry inputs and
the names an expression may use.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList

from workflows.editor.widgets import ArgumentRows, RetryPolicyInputs
from workflows.input_checks import InputError, parse_json
from workflows.node_types import Field
from workflows.node_types.fields import RETRY_KEYS, ConfigError

TEXT_KINDS = {"text", "identifier", "slug", "cron", "timezone", "text_list"}
# The template's markup per field kind; everything else is JSON text.
KINDS = {
    "longtext": "textarea",
    "expression": "expression",
    "int": "number",
    "float": "number",
    "bool": "checkbox",
    "choice": "select",
    "activity": "activity",
    "expression_map": "rows",
    "retry_policy": "retry",
    "input_fields": "input_fields",
}
WIDGETS = {
    "textarea": forms.Textarea,
    "checkbox": forms.CheckboxInput,
    "rows": ArgumentRows,
    "retry": RetryPolicyInputs,
}
EMPTY_ROWS = 2
RETRY_LABELS = {
    "max_attempts": "Max attempts (0 = unlimited)",
    "initial_interval": "First retry after (s)",
    "backoff_coefficient": "Backoff multiplier",
    "maximum_interval": "Max interval (s, empty = none)",
    "non_retryable_errors": "Non-retryable errors (comma separated)",
}
# Names and functions an expression field of a node may use (compiler.validate.graph.expression_names_for).
Suggest = Callable[[str], list[str]]


def field_kind(spec: Field) -> str:
    return "text" if spec.kind in TEXT_KINDS else KINDS.get(spec.kind, "json")


def as_text(value: Any) -> str:
    """A config value as an input shows it: 30 rather than 30.0, lists comma separated, JSON for the rest."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return str(value)


class ConfigField(forms.Field):
    """One node-type field: the widget reads the post, the declaration cleans (messages included)."""

    def __init__(self, spec: Field, kind: str, choices: list[tuple[str, str]]) -> None:
        widget = WIDGETS.get(kind, forms.TextInput)
        super().__init__(required=False, label=spec.title, help_text=spec.help, widget=widget)
        self.spec = spec
        self.kind = kind
        self.choices = choices
        # Whether the field applies to the form's values (InspectorForm decides).
        self.shown = True

    def get_bound_field(self, form, field_name):
        return ConfigBoundField(form, self, field_name)

    def to_python(self, value: Any) -> Any:
        """The posted value in the shape the declaration cleans (JSON text parsed; blank text is empty)."""
        if isinstance(value, str) and not value.strip():
            return None
        return parse_json_text(value) if self.kind == "json" and isinstance(value, str) else value

    def clean(self, value: Any) -> Any:
        """The declaration's value for what was posted (a disabled field: for its saved value, as it is)."""
        try:
            return self.spec.clean_value(value if self.disabled else self.to_python(value))
        except ConfigError as error:
            raise ValidationError(str(error)) from None

    def prepare_value(self, value: Any) -> Any:
        if self.kind == "json":
            return value if isinstance(value, str) else ("" if value is None else json.dumps(value, indent=2))
        if self.kind in ("checkbox", "rows", "retry"):
            return value
        return as_text(value)


def parse_json_text(text: str | None) -> Any:
    """Typed JSON as a value; a parse error is the field's message."""
    if text is None or not text.strip():
        return None
    try:
        return parse_json(text.strip())
    except InputError as error:
        raise ValidationError(str(error)) from None


class ConfigBoundField(forms.BoundField):
    """What _field.html reads of one field: its markup kind, value, rows and the names it may use."""

    @property
    def errors(self) -> ErrorList:
        """No messages in a preview (the form is re-drawn from unsaved values, not judged)."""
        return ErrorList() if self.form.quiet else super().errors

    @property
    def dom_id(self) -> str:
        return f"field-{self.name}"

    @property
    def kind(self) -> str:
        return self.field.kind

    @property
    def spec(self) -> Field:
        return self.field.spec

    @property
    def refreshes(self) -> bool:
        """Other fields are shown or hidden by this one, or its rows follow it: a change re-renders the inspector."""
        return self.kind == "activity" or self.name in self.form.controlling

    @property
    def choice_values(self) -> list[str]:
        return [value for value, _ in self.field.choices]

    @property
    def step(self) -> str:
        return "any" if self.spec.kind == "float" else "1"

    @property
    def suggestions(self) -> list[str]:
        """Names and functions for the expression inputs' datalist."""
        return self.form.suggest(self.name) if self.form.suggest else []

    @property
    def rows(self) -> list[tuple[str, str]]:
        """Argument rows: the chosen activity's declared arguments first, then any others, then empty rows."""
        value = self.value() if isinstance(self.value(), dict) else {}
        names = list(self.form.activity_arguments())
        names += [name for name in value if name not in names]
        return [(name, as_text(value.get(name, ""))) for name in names] + [("", "")] * EMPTY_ROWS

    @property
    def parts(self) -> list[dict]:
        """The retry policy's inputs, each with its label and the value shown."""
        merged = {**RETRY_KEYS, **(self.value() if isinstance(self.value(), dict) else {})}
        return [{"key": key, "label": RETRY_LABELS[key], "value": as_text(merged[key])} for key in RETRY_KEYS]
