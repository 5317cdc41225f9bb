"""Input fields and message payloads as a small form: one row per field, the JSON as an advanced view.

A start node's input fields, a signal handler's payload fields and an
update handler's input fields are lists of {name, type, required, default,
description}. The inspector shows one row per field (InputFieldRows reads
them back) and the list as JSON in a <details>. The declaration's check
(`clean_input_fields`) pins each problem to its entry; this field moves it
to the row it came from, so the message stands beside what the user typed.

A row's default is typed as text: a `str` field's default is the text
itself (`""` for the empty text), any other type's is JSON (3, true,
["a"]), and it must match the type.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from django.core.exceptions import ValidationError

from workflows.editor.config_fields import ConfigBoundField, ConfigField, parse_json_text
from workflows.editor.widgets import InputFieldRows, TypedRow, TypedRows
from workflows.input_checks import InputError, parse_json
from workflows.node_types.fields import VALUE_TYPES, ConfigError, InputFieldsError

EMPTY_TEXT = '""'


class RowEntries(list):
    """Field entries from typed rows, with the row each came from and the rows whose default did not parse."""

    def __init__(self, entries: list[dict], positions: list[int], problems: dict[int, list[str]]) -> None:
        super().__init__(entries)
        self.positions = positions
        self.problems = problems


def entries_of(typed: TypedRows) -> RowEntries:
    """The rows as field entries; blank rows are skipped, a default that does not parse is left out and noted."""
    entries, positions, problems = [], [], {}
    for index, row in enumerate(typed.rows):
        if row.blank:
            continue
        entry: dict[str, Any] = {"name": row.name.strip(), "type": row.type, "required": row.required}
        if row.allow_empty:
            entry["allow_empty"] = True
        if row.description.strip():
            entry["description"] = row.description.strip()
        text = row.default.strip()
        if text and row.type == "str":
            entry["default"] = "" if text == EMPTY_TEXT else text
        elif text:
            try:
                entry["default"] = parse_json(text)
            except InputError as error:
                problems[index] = [f"field '{entry['name']}': the default {error}"]
        entries.append(entry)
        positions.append(index)
    return RowEntries(entries, positions, problems)


def row_of(entry: dict) -> TypedRow:
    """A stored (or typed-as-JSON) field entry as the row that shows it."""
    type_ = entry.get("type") if entry.get("type") in VALUE_TYPES else "any"
    default = ""
    if "default" in entry:
        value = entry["default"]
        text = type_ == "str" and isinstance(value, str)
        default = (value or EMPTY_TEXT) if text else json.dumps(value)
    return TypedRow(
        name=str(entry.get("name", "")),
        type=type_,
        required=bool(entry.get("required")),
        default=default,
        description=str(entry.get("description", "")),
        allow_empty=bool(entry.get("allow_empty")),
    )


class InputFieldsField(ConfigField):
    """Input fields posted as rows or as JSON; every problem goes to the row it belongs to."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.widget = InputFieldRows()

    def get_bound_field(self, form, field_name):
        return InputRowsBoundField(form, self, field_name)

    def to_python(self, value: Any) -> Any:
        return entries_of(value) if isinstance(value, TypedRows) else parse_json_text(value)

    def clean(self, value: Any) -> Any:
        if self.disabled:
            return super().clean(value)
        entries = self.to_python(value)
        rows = isinstance(entries, RowEntries)
        problems: dict[int, list[str]] = dict(entries.problems) if rows else {}
        cleaned = None
        try:
            cleaned = self.spec.clean_value(list(entries) if rows else entries)
        except InputFieldsError as error:
            for entry, messages in error.rows.items():
                problems.setdefault(entries.positions[entry] if rows else entry, []).extend(messages)
        except ConfigError as error:
            raise ValidationError(str(error)) from None
        if problems:
            raise ValidationError(
                [ValidationError(text, code=f"row-{row}") for row, texts in sorted(problems.items()) for text in texts]
            )
        return cleaned


class InputRowsBoundField(ConfigBoundField):
    """The rows, the JSON text and the messages of each, as _input_rows.html draws them."""

    @property
    def typed_rows(self) -> list[TypedRow]:
        data = self.data if self.form.is_bound and not self.field.disabled else None
        if isinstance(data, TypedRows):
            return data.rows
        value = self.initial
        if isinstance(data, str):
            with contextlib.suppress(InputError):
                value = parse_json(data)
        return [row_of(entry) for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []

    @property
    def input_rows(self) -> list[tuple[int, TypedRow, list[str]]]:
        """(index, row, its messages) for each row."""
        pinned = self._pinned()
        return [(index, row, pinned.get(index, [])) for index, row in enumerate(self.typed_rows)]

    @property
    def field_messages(self) -> list[str]:
        """Messages of the whole list (bad JSON), and any pinned to a row that is not shown."""
        shown = range(len(self.typed_rows))
        return [text for row, texts in self._pinned().items() if row not in shown for text in texts]

    def _pinned(self) -> dict[Any, list[str]]:
        pinned: dict[Any, list[str]] = {}
        for error in self.errors.as_data():
            code = error.code or ""
            row = int(code.removeprefix("row-")) if code.startswith("row-") else None
            pinned.setdefault(row, []).extend(error.messages)
        return pinned

    @property
    def json_text(self) -> str:
        """The JSON view: as typed when the JSON was posted, else the rows (or the saved list) as JSON."""
        data = self.data if self.form.is_bound and not self.field.disabled else None
        if isinstance(data, str):
            return data
        value = list(entries_of(data)) if isinstance(data, TypedRows) else self.initial
        return json.dumps(value, indent=2)

    @property
    def json_open(self) -> bool:
        """The advanced view starts open when the posted JSON is what was refused."""
        return isinstance(self.data if self.form.is_bound else None, str) and bool(self.errors)

    @property
    def value_types(self) -> tuple[str, ...]:
        return VALUE_TYPES
