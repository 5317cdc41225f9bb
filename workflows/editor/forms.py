"""The inspector form: a Django form built from the node type's field declarations.

Each `Field` of the node type (workflows/node_types/fields.py) becomes a
form field (config_fields.py; input_rows.py for input fields and payloads):
its widget (widgets.py) reads the posted inputs as typed, and its `clean`
asks the declaration (`Field.clean_value`), so the editor, the JSON
documents and the API share one rule and one wording. Rules across fields
(`NodeType.check_across`) run in the form's `clean`. The template
(_field.html) renders the bound fields; a refused form is the same bound
form, so everything typed comes back with the messages beside it.

A field that does not apply to the posted values (cron settings of a manual
trigger), or that was hidden when the form was drawn (none of its inputs
posted), is disabled: it keeps its saved value, as Django keeps a disabled
field's initial.
"""

from __future__ import annotations

from typing import Any

from django import forms

from workflows.editor.config_fields import ConfigField, Suggest, field_kind
from workflows.editor.input_rows import InputFieldsField
from workflows.editor.widgets import posted
from workflows.node_types import RETRY_PRESETS, Field, NodeType

PREFIX = "cfg"


class InspectorForm(forms.Form):
    """The settings of one node: its type's fields, bound to a post or showing the `saved` config."""

    def __init__(
        self,
        node_type: NodeType,
        saved: dict,
        data=None,
        *,
        activities: dict | None = None,
        suggest: Suggest | None = None,
        quiet: bool = False,
    ) -> None:
        initial = {spec.name: saved.get(spec.name, spec.initial()) for spec in node_type.fields}
        super().__init__(data=data, initial=initial, prefix=PREFIX)
        self.node_type = node_type
        self.activities = activities
        self.suggest = suggest
        self.quiet = quiet
        self.controlling = {spec.shown_when[0] for spec in node_type.fields if spec.shown_when}
        for spec in node_type.fields:
            kind = field_kind(spec)
            if kind == "activity" and activities is None:
                kind = "text"
            field_class = InputFieldsField if kind == "input_fields" else ConfigField
            self.fields[spec.name] = field_class(spec, kind, self._choices(spec, kind))
        values = self._values_that_decide()
        for name, config_field in self.fields.items():
            config_field.shown = config_field.spec.applies(values, node_type.fields)
            hidden = config_field.spec.shown_when is not None and not posted(self.data, self.add_prefix(name))
            config_field.disabled = self.is_bound and (hidden or not config_field.shown)

    def _choices(self, spec: Field, kind: str) -> list[tuple[str, str]]:
        if kind == "activity":
            return [(name, name) for name in sorted(self.activities or ())]
        if kind == "retry":
            return [(preset.name, preset.name) for preset in RETRY_PRESETS]
        return [(choice, choice.replace("_", " ")) for choice in spec.choices]

    def _values_that_decide(self) -> dict[str, Any]:
        """The values of the fields others are shown by: as posted, or as saved."""
        if not self.is_bound:
            return self.initial
        values = {name: self[name].data for name in self.controlling}
        return {name: value for name, value in values.items() if value not in (None, "")}

    @property
    def shown(self) -> list[forms.BoundField]:
        return [self[name] for name, config_field in self.fields.items() if config_field.shown]

    def activity_arguments(self) -> list[str]:
        """The declared arguments of the activity this form names (as chosen, or saved)."""
        field_name = next((name for name, f in self.fields.items() if f.kind == "activity"), None)
        if field_name is None:
            return []
        spec = (self.activities or {}).get(self[field_name].value())
        return [argument.name for argument in spec.args] if spec is not None else []

    def clean(self) -> dict:
        for name, message in self.node_type.check_across(self.config):
            self._place_error(name, message)
        return self.cleaned_data

    @property
    def config(self) -> dict[str, Any]:
        """The cleaned config (valid fields only until the form is valid)."""
        return {name: value for name, value in self.cleaned_data.items() if value is not None}

    def add_service_errors(self, messages: dict[str, list[str]]) -> None:
        """Messages of a refused save, each on its field when the form shows it."""
        for name, texts in messages.items():
            for text in texts:
                self._place_error(name, text)

    def _place_error(self, name: str, message: str) -> None:
        """Beside the field when it is shown, else above the form with the field's title (messages complete it)."""
        if name in self.fields and self.fields[name].shown:
            self.add_error(name, message)
        elif name in self.fields:
            self.add_error(None, f"{self.fields[name].spec.title} {message}")
        else:
            self.add_error(None, message if name == "__all__" else f"{name}: {message}")

    @property
    def messages(self) -> list[str]:
        """Messages that belong to no shown field."""
        return [] if self.quiet else list(self.non_field_errors())
