"""How the inspector reads each kind of field from a posted form (Django widgets' `value_from_datadict`).

The inspector's markup is written by hand in templates/workflows/_field.html
(htmx attributes, rows, the retry presets), so these widgets only read: each
turns the posted strings of one field into the value its form field cleans,
as typed, so a refused form shows exactly what the user wrote. Row widgets
read several inputs (`<name>-key`, `<name>-value`, ...) that share the field's
name as a prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from workflows.node_types import RETRY_PRESETS
from workflows.node_types.fields import RETRY_KEYS


def posted(data, name: str) -> bool:
    """Whether any input of the field `name` was in the posted form (it was drawn)."""
    return any(key == name or key.startswith(f"{name}-") for key in data)


class ArgumentRows(forms.Widget):
    """name = expression rows; a row left empty passes nothing (the activity's default applies)."""

    def value_from_datadict(self, data, files, name: str) -> dict[str, str]:
        pairs = zip(data.getlist(f"{name}-key"), data.getlist(f"{name}-value"), strict=False)
        return {key.strip(): value for key, value in pairs if key.strip() and value.strip()}


class RetryPolicyInputs(forms.Widget):
    """A preset, or one input per retry setting (text as typed, cleaned by the field)."""

    def value_from_datadict(self, data, files, name: str) -> dict[str, Any]:
        chosen = next((p for p in RETRY_PRESETS if p.name == data.get(f"{name}-preset", "")), None)
        if chosen is not None:
            return {**RETRY_KEYS, **chosen.policy}
        policy: dict[str, Any] = {}
        for key in RETRY_KEYS:
            text = data.get(f"{name}-{key}", "").strip()
            if key == "non_retryable_errors":
                policy[key] = [part.strip() for part in text.split(",") if part.strip()]
            elif key == "maximum_interval":
                policy[key] = text or None
            elif text:
                policy[key] = text
        return policy


@dataclass
class TypedRow:
    """One input field as typed in its row: every part is text, `default` included."""

    name: str = ""
    type: str = "str"
    required: bool = False
    default: str = ""
    description: str = ""
    allow_empty: bool = False

    @property
    def blank(self) -> bool:
        """A row the user added and left empty: it is skipped, not an error."""
        return not (self.name.strip() or self.default.strip() or self.description.strip())


@dataclass
class TypedRows:
    """The rows of an input-fields form as posted (after an add or remove button)."""

    rows: list[TypedRow] = field(default_factory=list)


ROW_PARTS = ("name", "type", "default", "description")


class InputFieldRows(forms.Widget):
    """Input fields as one row per field, or the raw JSON of the advanced view.

    Both are in the form: the rows post `<name>-name`, `-type`, `-default`,
    `-description` (one per row) and `-required`/`-allow_empty` (the indices
    of the checked rows); the JSON textarea posts `<name>` and the text it was
    drawn with as `<name>-json-was`. JSON the user changed wins, otherwise the
    rows do. `<name>-add` and `<name>-remove` (the buttons, via the preview)
    add an empty row or drop one.
    """

    def value_from_datadict(self, data, files, name: str) -> TypedRows | str | None:
        text = data.get(name)
        if f"{name}-rows" not in data or (text is not None and _lines(text) != _lines(data.get(f"{name}-json-was"))):
            return text
        parts = {part: data.getlist(f"{name}-{part}") for part in ROW_PARTS}
        flags = {flag: set(data.getlist(f"{name}-{flag}")) for flag in ("required", "allow_empty")}
        count = len(parts["name"])
        rows = [
            TypedRow(
                **{part: values[index] if index < len(values) else "" for part, values in parts.items()},
                required=str(index) in flags["required"],
                allow_empty=str(index) in flags["allow_empty"],
            )
            for index in range(count)
        ]
        removed = data.get(f"{name}-remove")
        if removed is not None and removed.isdigit() and int(removed) < len(rows):
            del rows[int(removed)]
        if f"{name}-add" in data:
            rows.append(TypedRow())
        return TypedRows(rows)


def _lines(text: str | None) -> str:
    """Text as compared across a post: browsers send a textarea's line breaks as CRLF."""
    return (text or "").replace("\r\n", "\n").strip()
