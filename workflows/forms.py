"""Forms for editing graphs in Django admin.

Admin saves nodes and edges with inline formsets, so these forms carry the
same rules as the services: a node's config is cleaned by its node type
(messages per config field, defaults filled in), malformed or hostile JSON
(workflows.input_checks) is a message rather than a 500, and a stale
workflow form is refused.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput

from workflows.input_checks import InputError, parse_json
from workflows.models import Edge, Node, Workflow
from workflows.node_types import CONTAINER_TYPES, get_node_type


class ConfigJSONField(forms.JSONField):
    """JSON whose parse error says where it went wrong; too deep, NaN or unstorable text is refused."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                return parse_json(value)
            except InputError as error:
                raise ValidationError(f"Config {error}.", code="invalid") from None
        return super().to_python(value)

    def bound_data(self, data, initial):
        """Refused text is shown again as typed (Django would parse it again, and fail on what was refused)."""
        if self.disabled or not isinstance(data, str):
            return super().bound_data(data, initial)
        try:
            return parse_json(data)
        except InputError:
            return InvalidJSONInput(data)


class WorkflowAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Workflow
        fields = ["project", "identifier", "name", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            # The identifier names the workflow on Temporal; it stays fixed once created.
            # (Absent when admin renders the form read-only for a viewer.)
            for name in ("identifier", "project"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_expected_version(self):
        expected = self.cleaned_data.get("expected_version")
        if self.instance.pk and expected is not None:
            current = Workflow.objects.values_list("version", flat=True).get(pk=self.instance.pk)
            if current != expected:
                raise ValidationError(
                    f"'{self.instance.name}' was changed by someone else (you had version {expected}, "
                    f"it is now {current}). Reload the page to see their change; nothing of yours was saved."
                )
        return expected


class NodeAdminForm(forms.ModelForm):
    config = ConfigJSONField(required=False, initial=dict, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    class Meta:
        model = Node
        fields = ["key", "type", "label", "parent", "slot", "position", "config"]

    def __init__(self, *args, workflow: Workflow | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only containers of the same workflow can hold a node.
        containers = Node.objects.filter(workflow=workflow, type__in=CONTAINER_TYPES)
        self.fields["parent"].queryset = containers.exclude(pk=self.instance.pk) if self.instance.pk else containers

    def clean(self):
        cleaned = super().clean()
        node_type = get_node_type(cleaned.get("type") or "")
        if node_type is None or "config" in self.errors:
            return cleaned
        config, errors = node_type.clean_config(cleaned.get("config") or {})
        for name, messages in sorted(errors.items()):
            for message in messages:
                self.add_error("config", f"{name}: {message}")
        if not errors:
            cleaned["config"] = config
        return cleaned

    def _post_clean(self):
        """Keep the config messages of clean() instead of the model's repeat of them.

        Node.clean() checks the config again (it guards every other writer);
        when the form already reported the config, its messages would show
        twice, or misleadingly for the old config when the JSON was malformed.
        """
        own = self.errors.get("config")
        own = list(own) if own else None
        super()._post_clean()
        if own is not None:
            self._errors["config"] = self.error_class(own)


class EdgeAdminForm(forms.ModelForm):
    class Meta:
        model = Edge
        fields = ["source", "kind", "target"]

    def __init__(self, *args, workflow: Workflow | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = Node.objects.filter(workflow=workflow) if workflow else Node.objects.none()
        for name in ("source", "target"):
            self.fields[name].queryset = nodes
            self.fields[name].error_messages["invalid_choice"] = (
                "Choose a node of this workflow; edges cannot connect nodes of different workflows."
            )
