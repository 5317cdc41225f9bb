"""Helpers for posting Django admin change forms (with inline formsets) in tests."""

from django.test import Client


def staff_client(user) -> Client:
    """A client logged in as the user, made staff (admin needs is_staff; membership does the rest)."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def _form_values(form) -> dict:
    values = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            values[form.add_prefix(name)] = value
    return values


def admin_form_data(response) -> dict:
    """What the browser would post back for an admin add/change page as rendered."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            data.update(_form_values(form))
    return data


def add_inline_row(data: dict, prefix: str, values: dict) -> dict:
    """Append one extra inline form (e.g. a new node) to posted admin data."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    return data


def inline_errors(response, prefix: str) -> list:
    """Every error message of the inline formset with that prefix (form and non-form errors)."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            messages = [m for form_errors in inline.formset.errors for ms in form_errors.values() for m in ms]
            return messages + list(inline.formset.non_form_errors())
    raise AssertionError(f"No inline formset {prefix!r} on the page.")
