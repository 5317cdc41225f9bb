"""What any user text or JSON must satisfy before anything else reads it.

A fuzzing session turned these into 500s: JSON nested a thousand levels deep
(RecursionError in the parser, in copies and in the compiler), lone
surrogates such as "\\ud800" (text that has no UTF-8 encoding, so SQLite and
Temporal fail on it), NUL characters (PostgreSQL stores neither them in text
nor "\\u0000" in jsonb) and NaN or Infinity (not JSON; the database refuses
them). Each becomes a message here, used by the API's JSON parser, the HTML
forms, the model fields and the node config fields alike.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.core.exceptions import ValidationError

# Deep enough for any real document (a workflow document nests its configs
# about 6 levels down), far below where parsing or compiling would recurse out.
MAX_JSON_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


class InputError(ValueError):
    """Input that is refused; the message completes "<field> ..." for the user."""


def text_problem(text: str) -> str | None:
    """Why the text cannot be stored (NUL, a lone surrogate), or None."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return f"contains a lone surrogate (U+{ord(surrogate.group()):04X}), which is not valid Unicode text"
    return None


def json_problem(value: Any, *, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """Why a parsed JSON value is refused (too deep, bad text, not a finite number), naming where; or None.

    Walks with an explicit stack, so a value too deep to recurse over is
    reported instead of crashing the check itself.
    """
    stack: list[tuple[Any, int, str]] = [(value, 0, "")]
    while stack:
        item, depth, path = stack.pop()
        where = f"at {path if len(path) <= 60 else '...' + path[-57:]}: " if path else ""
        if isinstance(item, (dict, list)):
            if depth >= max_depth:
                return f"is nested deeper than {max_depth} levels"
            entries = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in entries:
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    return f"{where}a key {problem}"
                stack.append((child, depth + 1, f"{path}[{key!r}]" if isinstance(key, str) else f"{path}[{key}]"))
        elif isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return f"{where}{problem}"
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{where}{item} is not a number JSON allows (use a finite number)"
    return None


def _refuse_constant(name: str) -> Any:
    raise InputError(f"{name} is not a number JSON allows (use a finite number)")


def parse_json(text: str) -> Any:
    """Parse JSON text typed into a form or sent as a body; raises InputError with the reason."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise InputError(f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as error:  # e.g. an integer longer than Python converts (4300 digits)
        raise InputError(f"is not valid JSON ({error})") from None
    problem = json_problem(value)
    if problem:
        raise InputError(problem)
    return value


def small_whole_number(text: str, *, maximum: int = 2**31 - 1) -> int | None:
    """A form's ASCII digits as a number up to `maximum`, else None.

    int() would take "²" (then fail), thousands of digits (then fail) and
    numbers no database column holds (then the query fails).
    """
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(maximum))):
        return None
    value = int(text)
    return value if value <= maximum else None


def validate_text(value: str) -> None:
    """Model and form field validator: text the database and Temporal can store."""
    problem = text_problem(value) if isinstance(value, str) else None
    if problem:
        raise ValidationError(f"This text {problem}.", code="invalid_text")
