"""Forms of the project pages: a new project, a new workflow, and the members card.

They only parse and check input; the writes go through projects.services and
workflows.services, whose ValidationErrors are put back on these forms
(`add_service_errors`) so a refused write reads like any field error.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from .models import Role

SLUG_HINT = "Use lowercase letters, digits and single - or _ between them (e.g. package-build)."


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class ProjectCreateForm(forms.Form):
    name = forms.CharField(max_length=120)
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text="Used in URLs and the task queue name; left empty, it is made from the name.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WorkflowCreateForm(forms.Form):
    identifier = forms.RegexField(
        regex=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\Z",
        max_length=80,
        error_messages={"invalid": SLUG_HINT},
        help_text="The workflow's name on Temporal, e.g. package-build.",
    )
    name = forms.CharField(max_length=120, required=False, help_text="Shown in the studio; the identifier if empty.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MemberAddForm(forms.Form):
    """Add someone by username; `cleaned_data["username"]` is the User."""

    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ValidationError(f"No user is called '{username}'; they need an account first.")
        return user


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
