"""The run page's signal and update forms, generated from the payload fields their handlers declare.

A signal handler declares `payload_fields` and an update handler
`input_fields` (workflows/node_types/builtin/). Each declared field becomes
an input of its type (text, number, checkbox, JSON for lists, objects and
`any`); a handler that declares none gets a plain button. Typed inputs are
only the way in: the form's text is turned into a payload here, each value
that does not parse is refused with a message pinned to its field, and the
service (compiler.runs) then checks the payload against the same fields
(required, empty text, unknown names) before anything reaches Temporal.
Raw JSON stays available under "JSON payload", for handlers that take any
value (`newPackages` takes a list) and for scripting by hand.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from workflows import input_checks

# What each declared field type is typed into; anything else is JSON text.
WIDGETS = {"str": "text", "int": "number", "float": "number", "bool": "checkbox"}
FIELDS_OF = {"signal": "payload_fields", "update": "input_fields"}


class PayloadErrors(ValueError):
    """Form values that do not parse: field name (or "payload") -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass
class PayloadInput:
    """One input of a form: a declared field, what was typed and what is wrong with it."""

    name: str
    type: str
    required: bool
    description: str = ""
    value: Any = ""
    error: str = ""

    @property
    def widget(self) -> str:
        return WIDGETS.get(self.type, "json")

    @property
    def step(self) -> str:
        return "1" if self.type == "int" else "any"


@dataclass
class MessageForm:
    """A signal or update form on the run page, with the outcome of its last send (shown in its panel)."""

    kind: str
    name: str
    label: str
    inputs: list[PayloadInput] = field(default_factory=list)
    template: str = ""
    raw_payload: str = ""
    message: str = ""
    ok: bool = True

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.name}"

    @property
    def title(self) -> str:
        """The handler's label when it says more than the name ("Signal approve", not "approve approve")."""
        return self.label if _words(self.label) != _words(self.name) else ""

    def errors_on(self, errors: dict[str, list[str]], *, pinned: bool = True) -> None:
        """Pin the messages to their inputs; the rest (payload, signal, update), or all of them when the payload
        was typed as JSON rather than into the inputs (`pinned` false), to the form."""
        by_name = {entry.name: entry for entry in self.inputs} if pinned else {}
        others = []
        for name, messages in errors.items():
            if name in by_name:
                by_name[name].error = "; ".join(messages)
            else:
                others.extend(messages if name in ("__all__", self.kind) else [f"{name}: {m}" for m in messages])
        self.ok, self.message = False, "; ".join(others) or "Check the fields marked above."


def _words(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def message_form(kind: str, declared: dict, post: QueryDict | None = None) -> MessageForm:
    """The form of one declared signal or update (a dict from RunDetail.signals or update_forms).

    With `post`, the inputs keep what was typed (so a refused send shows it again).
    """
    fields = declared.get(FIELDS_OF[kind]) or []
    form = MessageForm(kind, declared["name"], declared.get("label", ""), template=declared.get("template", ""))
    for spec in fields:
        entry = PayloadInput(
            spec["name"], spec.get("type", "any"), bool(spec.get("required")), spec.get("description", "")
        )
        if post is not None:
            entry.value = post.get(f"field-{entry.name}", "")
            if entry.widget == "checkbox":
                entry.value = bool(entry.value)
        elif "default" in spec:
            entry.value = spec["default"] if entry.widget != "json" else json.dumps(spec["default"])
        form.inputs.append(entry)
    if post is not None:
        form.raw_payload = post.get("payload", "")
    return form


def message_forms(signals: list[dict], updates: list[dict]) -> list[MessageForm]:
    """Every form of the run page: its signals, then its updates, each sorted by name."""
    return [message_form("signal", s) for s in signals] + [message_form("update", u) for u in updates]


def raw_payload(post: QueryDict) -> tuple[bool, Any]:
    """(True, value) when the "JSON payload" box holds text, which wins over the typed inputs."""
    text = post.get("payload", "")
    if not text.strip():
        return False, None
    try:
        return True, input_checks.parse_json(text)
    except input_checks.InputError as error:
        raise PayloadErrors({"payload": str(error)}) from None


def payload_from(fields: list[dict], post: QueryDict) -> Any:
    """The payload the typed inputs make: None for a handler without fields; PayloadErrors per field.

    An input left empty is left out (so the field's default applies, or the
    service names it as required), except text: "" is text, and the
    service refuses it for a required field.
    """
    if not fields:
        return None
    payload: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in fields:
        name, kind = spec["name"], spec.get("type", "any")
        text = post.get(f"field-{name}", "")
        if kind == "bool":
            payload[name] = bool(text)
        elif kind == "str":
            problem = input_checks.text_problem(text)
            if problem:
                errors[name] = problem
            elif text or spec.get("required"):
                payload[name] = text
        elif text.strip():
            try:
                payload[name] = _parse(kind, text.strip())
            except ValueError as error:
                errors[name] = str(error)
    if errors:
        raise PayloadErrors(errors)
    return payload


def _parse(kind: str, text: str) -> Any:
    if kind == "int":
        number = input_checks.small_whole_number(text.removeprefix("-"), maximum=2**53)
        if number is None:
            raise ValueError(f"must be a whole number, not '{text[:40]}'")
        return -number if text.startswith("-") else number
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"must be a number, not '{text[:40]}'") from None
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value
    try:
        return input_checks.parse_json(text)
    except input_checks.InputError as error:
        raise ValueError(str(error)) from None
