"""Config field kinds for node types.

Each node type declares its config as a tuple of `Field`s. The same
declaration drives validation (field-level messages, never an exception),
defaults, the JSON document format and the editor's inspector form, so a
rule holds everywhere a node can be written from.

Expressions are only checked for syntax here; names and the allow-list are
the compiler's job (it knows the workflow's state variables).
"""

from __future__ import annotations

import ast
import functools
import keyword
import math
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from vocabulary import STEP_RETRY_DEFAULTS
from workflows.identifiers import SLUG_RE
from workflows.input_checks import json_problem, text_problem
from workflows.limits import EXPRESSION_CACHE_SIZE

# Matched with fullmatch: `$` would also accept a trailing newline.
IDENTIFIER_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
MAX_TEXT = 20_000
# Upper bounds of number fields: beyond them Temporal's durations and
# int32 counts overflow, and the deploy would fail instead of the form.
YEAR = 365 * 24 * 3600
MAX_SECONDS = 10 * YEAR
MAX_COUNT = 1_000_000
MAX_MULTIPLIER = 1000


class ConfigError(ValueError):
    """A bad value for one field; the message is shown next to the field."""


@dataclass(frozen=True)
class Field:
    """One config entry of a node type.

    kind is one of: text, longtext, identifier, slug, expression, int, float,
    bool, choice, json, cron, timezone, text_list, expression_map,
    input_fields, signal_actions, retry_policy, activity (the name of a
    registered activity: text here, a picker in the editor, whose choice
    draws the `expression_map` field's argument rows).
    """

    name: str
    kind: str
    label: str = ""
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    # A placeholder a new node gets in the editor, so a required field can be saved before it is filled in.
    example: Any = None
    # (other field, value): the field applies only while the other field has that value (cron settings
    # only for a cron trigger); the inspector shows it only then and keeps its saved value meanwhile.
    shown_when: tuple[str, Any] | None = None

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def applies(self, config: dict, fields: tuple[Field, ...]) -> bool:
        """Whether the field matters for `config` (its `shown_when` field, or that field's default, matches)."""
        if self.shown_when is None:
            return True
        other, value = self.shown_when
        controlling = next((f for f in fields if f.name == other), None)
        default = controlling.initial() if controlling else None
        return config.get(other, default) == value

    def initial(self) -> Any:
        """A fresh copy of the default (lists and dicts must not be shared)."""
        if isinstance(self.default, (list, dict)):
            return type(self.default)(self.default)
        return self.default

    def is_empty(self, value: Any) -> bool:
        return value is None or value == "" or value == [] or value == {}

    def clean_value(self, value: Any) -> Any:
        """The value a config keeps for `value`: cleaned, the default when empty (None: leave it out).

        ConfigError when it is bad or empty but required; the one rule for the
        JSON documents, the API and the editor's form (workflows/editor/forms.py).
        """
        if self.is_empty(value):
            if self.required:
                raise ConfigError("is required")
            return self.initial()
        return self.clean(value)

    def clean(self, value: Any) -> Any:
        """Return the normalised value or raise ConfigError with a message for the user."""
        cleaner = getattr(self, f"_clean_{self.kind}")
        return cleaner(value)

    # -- one cleaner per kind -------------------------------------------------

    def _clean_text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ConfigError("must be text")
        if len(value) > MAX_TEXT:
            raise ConfigError(f"is too long (at most {MAX_TEXT} characters)")
        problem = text_problem(value)
        if problem:
            raise ConfigError(problem)
        return value.strip() if "\n" not in value else value

    _clean_longtext = _clean_text
    _clean_activity = _clean_text

    def _clean_identifier(self, value: Any) -> str:
        value = self._clean_text(value)
        if not IDENTIFIER_RE.fullmatch(value) or keyword.iskeyword(value):
            raise ConfigError(f"'{value}' is not a valid name: use letters, digits and _, starting with a letter")
        return value

    def _clean_slug(self, value: Any) -> str:
        value = self._clean_text(value)
        if not SLUG_RE.fullmatch(value):
            raise ConfigError(f"'{value}' is not a valid identifier: use lowercase letters, digits and -")
        return value

    def _clean_expression(self, value: Any) -> str:
        """Syntax only; an expression that is just a number is held to the field's bounds, if it has any."""
        if isinstance(value, (bool, int, float)):
            value = repr(value)
        value = check_expression_syntax(self._clean_text(value))
        number = _literal_number(value) if self.minimum is not None or self.maximum is not None else None
        if number is not None:
            self._check_range(number)
        return value

    def _clean_int(self, value: Any) -> int:
        value = _from_text(value, int)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError("must be a whole number")
        return self._check_range(value)

    def _clean_float(self, value: Any) -> float:
        value = _from_text(value, float)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError("must be a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError("must be a finite number")
        value = self._check_range(value)
        try:
            return float(value)
        except OverflowError:
            raise ConfigError("is too large") from None

    def _check_range(self, value: int | float) -> int | float:
        """The value if it lies within the field's bounds; compared before any conversion can overflow."""
        too_low = self.minimum is not None and value < self.minimum
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            raise ConfigError(f"must be {self.bounds_text()}")
        return value

    def bounds_text(self) -> str:
        """ "between 0.001 and 315360000", "at least 1", for messages and help."""
        low, high = _number_text(self.minimum), _number_text(self.maximum)
        if low and high:
            return f"between {low} and {high}"
        if low:
            return f"at least {low}"
        return f"at most {high}" if high else "a number"

    def _clean_bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if value in ("true", "on", "1", 1):
            return True
        if value in ("false", "off", "0", 0, ""):
            return False
        raise ConfigError("must be true or false")

    def _clean_choice(self, value: Any) -> str:
        if value not in self.choices:
            raise ConfigError(f"must be one of: {', '.join(self.choices)}")
        return value

    def _clean_json(self, value: Any) -> Any:
        problem = json_problem(value)
        if problem:
            raise ConfigError(problem)
        return value

    def _clean_cron(self, value: Any) -> str:
        value = " ".join(self._clean_text(value).split())
        if len(value.split()) != 5 or not croniter.is_valid(value):
            raise ConfigError(
                f"'{value}' is not a valid cron expression: use five fields "
                "(minute hour day-of-month month day-of-week), e.g. */30 * * * *"
            )
        return value

    def _clean_timezone(self, value: Any) -> str:
        value = self._clean_text(value)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"'{value}' is not a known time zone, e.g. UTC or Europe/Berlin") from None
        return value

    def _clean_text_list(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("must be a list of text values")
        return [self._clean_text(v) for v in value]

    def _clean_expression_map(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ConfigError("must be an object of name -> expression")
        cleaned = {}
        for name, expression in value.items():
            if not isinstance(name, str) or not IDENTIFIER_RE.fullmatch(name):
                raise ConfigError(f"'{name}' is not a valid argument name")
            try:
                cleaned[name] = self._clean_expression(expression)
            except ConfigError as error:
                raise ConfigError(f"{name}: {error}") from None
        return cleaned

    def _clean_input_fields(self, value: Any) -> list[dict]:
        return clean_input_fields(value)

    def _clean_signal_actions(self, value: Any) -> list[dict]:
        return clean_signal_actions(value)

    def _clean_retry_policy(self, value: Any) -> dict:
        return clean_retry_policy(value)


def _literal_number(source: str) -> int | float | None:
    """The number a short expression such as `30` or `1e20` is, else None (names, calls, longer text)."""
    if len(source) > 40:
        return None
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    # Read by hand rather than with ast.literal_eval, whose nested closures
    # leave reference cycles behind on every call (the compiler runs with
    # the cyclic GC paused, compiler/gc_pause.py).
    sign = 1
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, (ast.USub, ast.UAdd)):
        sign = -1 if isinstance(tree.op, ast.USub) else 1
        tree = tree.operand
    if not isinstance(tree, ast.Constant):
        return None
    value = tree.value
    return sign * value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _from_text(value: Any, number: type) -> Any:
    """A number typed as text ("5", " 2.5 "), else the value unchanged; long text is never converted
    (int() of thousands of digits is slow, then refused by Python itself)."""
    if isinstance(value, str) and len(value) <= 40:
        try:
            return number(value.strip())
        except ValueError:
            return value
    return value


def _number_text(value: float | None) -> str:
    """A bound as people write it: 315360000, 0.001 (not 3.1536e+08)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:f}".rstrip("0")


def check_expression_syntax(source: str) -> str:
    """Syntax only: the compiler checks names and the allow-list."""
    stripped = source.strip()
    if not stripped:
        raise ConfigError("must not be empty")
    problem = _syntax_problem(stripped)
    if problem:
        raise ConfigError(problem)
    return stripped


@functools.lru_cache(maxsize=EXPRESSION_CACHE_SIZE)
def _syntax_problem(stripped: str) -> str | None:
    """Why the text does not parse as an expression; cached, as every save and compile checks every expression."""
    try:
        ast.parse(stripped, mode="eval")
    except SyntaxError as error:
        column = f" at column {error.offset}" if error.offset else ""
        return f"is not a valid expression{column}: {error.msg}"
    except (ValueError, RecursionError, MemoryError):
        return "is not a valid expression"
    return None


VALUE_TYPES = ("str", "int", "float", "bool", "list", "dict", "any")
# Whether a value has a declared field type: the one rule for defaults here and for run input
# and payloads (compiler/runs/control.py).
VALUE_CHECKS = {
    "str": lambda value: isinstance(value, str),
    "int": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "float": lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    "bool": lambda value: isinstance(value, bool),
    "list": lambda value: isinstance(value, list),
    "dict": lambda value: isinstance(value, dict),
    "any": lambda value: True,
}
TYPE_WORDS = {"str": "text", "int": "an integer", "float": "a number", "bool": "true or false", "list": "a list"}
TYPE_WORDS["dict"] = "an object"
INPUT_FIELD_KEYS = ("name", "type", "required", "default", "description", "allow_empty")


class InputFieldsError(ConfigError):
    """Problems of a list of input fields, each pinned to its entry (0-based `rows`) for the editor's rows."""

    def __init__(self, rows: dict[int, list[str]]) -> None:
        self.rows = rows
        super().__init__("; ".join(message for messages in rows.values() for message in messages))


def must_be_given(field: dict) -> bool:
    """Whether a cleaned input or payload field has to be in the value: required, with no default to fall back on."""
    return bool(field.get("required")) and "default" not in field


def clean_input_fields(value: Any) -> list[dict]:
    """Typed fields of a workflow input or a signal payload; every entry's problems at once (InputFieldsError)."""
    if not isinstance(value, list):
        raise ConfigError("must be a list of fields")
    cleaned, problems, seen = [], {}, set()
    for index, entry in enumerate(value):
        try:
            item = _clean_input_field(index + 1, entry)
        except ConfigError as error:
            problems[index] = [str(error)]
            continue
        if item["name"] in seen:
            problems[index] = [f"field '{item['name']}' is declared twice"]
        seen.add(item["name"])
        cleaned.append(item)
    if problems:
        raise InputFieldsError(problems)
    return cleaned


def _clean_input_field(number: int, entry: Any) -> dict:
    if not isinstance(entry, dict):
        raise ConfigError(f"field {number} must be an object with name and type")
    name = entry.get("name", "")
    if not isinstance(name, str) or not IDENTIFIER_RE.fullmatch(name) or keyword.iskeyword(name):
        raise ConfigError(f"field {number}: '{name}' is not a valid field name")
    type_ = entry.get("type", "any")
    if not isinstance(type_, str) or type_ not in VALUE_TYPES:
        raise ConfigError(f"field '{name}': type must be one of {', '.join(VALUE_TYPES)}")
    unknown = set(entry) - set(INPUT_FIELD_KEYS)
    if unknown:
        raise ConfigError(f"field '{name}': unknown keys {', '.join(sorted(unknown))}")
    item = {"name": name, "type": type_, "required": bool(entry.get("required", False))}
    if entry.get("allow_empty"):
        item["allow_empty"] = True  # a required text field that may be "" (compiler.runs.control.check_fields)
    if "default" in entry:
        default = Field("default", "json").clean(entry["default"])
        if not VALUE_CHECKS[type_](default):
            raise ConfigError(f"field '{name}': the default must be {TYPE_WORDS[type_]}, not {_json_type(default)}")
        item["default"] = default
    if entry.get("description"):
        item["description"] = Field("description", "text").clean(str(entry["description"]))
    return item


def _json_type(value: Any) -> str:
    """A value's type as JSON names it, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    kinds = {str: "text", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return kinds.get(type(value), type(value).__name__)


SIGNAL_OPS = ("set", "append", "extend", "merge", "clear", "increment", "cancel_children")


def clean_signal_actions(value: Any) -> list[dict]:
    """What a signal handler does to state.

    merge: add a list of records to a list variable, one per `key` field,
    keeping the record with the higher `priority` field on a clash.
    """
    if not isinstance(value, list):
        raise ConfigError("must be a list of actions")
    cleaned = []
    for index, action in enumerate(value, start=1):
        if not isinstance(action, dict):
            raise ConfigError(f"action {index} must be an object with op and var")
        op = action.get("op")
        if not isinstance(op, str) or op not in SIGNAL_OPS:
            raise ConfigError(f"action {index}: op must be one of {', '.join(SIGNAL_OPS)}")
        item: dict[str, Any] = {"op": op}
        if op != "cancel_children":
            var = action.get("var", "")
            if not isinstance(var, str) or not IDENTIFIER_RE.fullmatch(var):
                raise ConfigError(f"action {index} ({op}): 'var' must name a state variable")
            item["var"] = var
        if op in ("set", "append", "extend", "merge", "increment"):
            raw = action.get("value", "1" if op == "increment" else "")
            try:
                item["value"] = Field("value", "expression")._clean_expression(raw)
            except ConfigError as error:
                raise ConfigError(f"action {index} ({op}): value {error}") from None
        if op == "merge":
            for extra in ("key", "priority"):
                name = action.get(extra, "name" if extra == "key" else "")
                if name and not (isinstance(name, str) and IDENTIFIER_RE.fullmatch(name)):
                    raise ConfigError(f"action {index} (merge): '{extra}' must be a field name")
                item[extra] = name
        unknown = set(action) - {"op", "var", "value", "key", "priority"}
        if unknown:
            raise ConfigError(f"action {index}: unknown keys {', '.join(sorted(unknown))}")
        cleaned.append(item)
    return cleaned


# A step's retry policy: the shared defaults (vocabulary.py), and no error type exempt from retries.
RETRY_KEYS = {**STEP_RETRY_DEFAULTS, "non_retryable_errors": []}


def clean_retry_policy(value: Any) -> dict:
    """Temporal RetryPolicy fields; max_attempts 0 means unlimited, as in Temporal."""
    if not isinstance(value, dict):
        raise ConfigError("must be an object (max_attempts, initial_interval, ...)")
    unknown = set(value) - set(RETRY_KEYS)
    if unknown:
        raise ConfigError(f"unknown keys {', '.join(sorted(unknown))}")
    policy = {**RETRY_KEYS, **value}
    numbers = (
        ("max_attempts", Field("max_attempts", "int", minimum=0, maximum=MAX_COUNT)),
        ("initial_interval", Field("initial_interval", "float", minimum=0.001, maximum=MAX_SECONDS)),
        ("backoff_coefficient", Field("backoff_coefficient", "float", minimum=1, maximum=MAX_MULTIPLIER)),
    )
    for name, number_field in numbers:
        try:
            policy[name] = number_field.clean(policy[name])
        except ConfigError as error:
            raise ConfigError(f"{name} {error}") from None
    if policy["maximum_interval"] is not None:
        try:
            policy["maximum_interval"] = Field("m", "float", minimum=0.001, maximum=MAX_SECONDS).clean(
                policy["maximum_interval"]
            )
        except ConfigError as error:
            raise ConfigError(f"maximum_interval {error}") from None
    errors = policy["non_retryable_errors"]
    if not isinstance(errors, list) or not all(isinstance(e, str) and not text_problem(e) for e in errors):
        raise ConfigError("non_retryable_errors must be a list of error type names")
    return policy


@dataclass(frozen=True)
class RetryPreset:
    name: str
    policy: dict = field(default_factory=dict)


# From the system we replace; offered in the inspector.
RETRY_PRESETS = (
    RetryPreset(
        "keep trying",
        {"max_attempts": 0, "initial_interval": 1.0, "backoff_coefficient": 2.0, "maximum_interval": 3600.0},
    ),
    RetryPreset(
        "fail after 3",
        {"max_attempts": 3, "initial_interval": 1.0, "backoff_coefficient": 2.0, "maximum_interval": None},
    ),
    RetryPreset(
        "exponential backoff",
        {"max_attempts": 5, "initial_interval": 1.0, "backoff_coefficient": 2.0, "maximum_interval": 3600.0},
    ),
    RetryPreset(
        "none", {"max_attempts": 1, "initial_interval": 1.0, "backoff_coefficient": 1.0, "maximum_interval": None}
    ),
)
