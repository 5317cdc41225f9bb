"""Helper functions that user expressions may call, imported by generated workflow code.

Python built-ins such as ``len`` or ``sorted`` cover most needs; these few helpers
fill the gaps left by banning method calls (``d.keys()``, ``s.lower()``) in the
expression language (see docs/expressions.md). Generated modules import only the
helpers an expression uses, e.g. ``from compiler.runtime.functions import get``.

They run inside the Temporal workflow sandbox, so they must stay pure and
deterministic: standard library only, no I/O, no clocks, no randomness. Results
are plain lists rather than views or tuples so they survive JSON round trips
unchanged. Wrong argument types raise TypeError with a message naming the
function, the same way a built-in such as ``len(5)`` would.
"""

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["get", "items", "join", "keys", "lower", "upper", "values"]


def keys(mapping: Mapping[str, Any]) -> list[Any]:
    """The keys of a dict, in insertion order."""
    return list(_require_mapping("keys", mapping).keys())


def values(mapping: Mapping[str, Any]) -> list[Any]:
    """The values of a dict, in insertion order."""
    return list(_require_mapping("values", mapping).values())


def items(mapping: Mapping[str, Any]) -> list[list[Any]]:
    """The ``[key, value]`` pairs of a dict, in insertion order."""
    return [[key, value] for key, value in _require_mapping("items", mapping).items()]


def get(container: Any, key: Any, default: Any = None) -> Any:
    """``container[key]`` when present, else ``default``; never raises.

    Works on dicts (missing key) and lists (index out of range or not an int),
    and returns ``default`` for anything else, including None, so expressions
    can read optional fields of activity results without a condition first.
    """
    if isinstance(container, Mapping):
        try:
            return container.get(key, default)
        except TypeError:  # unhashable key such as a list
            return default
    if isinstance(container, (list, tuple)) and type(key) is int and -len(container) <= key < len(container):
        return container[key]
    return default


def lower(text: str) -> str:
    """The text in lower case."""
    return _require_text("lower", text).lower()


def upper(text: str) -> str:
    """The text in upper case."""
    return _require_text("upper", text).upper()


def join(separator: str, parts: Iterable[Any]) -> str:
    """The parts joined by separator; parts that are not text are passed through ``str``."""
    _require_text("join", separator)
    if isinstance(parts, (str, Mapping)) or not isinstance(parts, Iterable):
        raise TypeError(f"join() expects a list as its second argument, got {type(parts).__name__}")
    return separator.join(part if isinstance(part, str) else str(part) for part in parts)


def _require_mapping(function: str, value: Any) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{function}() expects a dict, got {type(value).__name__}")
    return value


def _require_text(function: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{function}() expects text, got {type(value).__name__}")
    return value
