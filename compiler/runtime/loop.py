"""Carrying state across continue-as-new, for workflows with loop containers.

A loop continues as new with the workflow input plus one extra entry,
`"__state__"`: every field of the state dataclass (declared state variables
and step results) as plain data. The new run's `__init__` takes the entry
out of the input again and rebuilds its state from it, so a queue that
signals filled survives the new run. Fields the new code no longer has are
dropped and new fields keep their initial values, so a newer build of the
workflow can pick up state carried by an older one.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

CARRIED_STATE = "__state__"
State = TypeVar("State")


def restore_state(state_class: type[State], carried: Any) -> State:
    """A fresh state, with the carried values (a dict, or None for a first run) filled in."""
    if carried is None:
        return state_class()
    if not isinstance(carried, dict):
        raise TypeError(f"input entry {CARRIED_STATE!r} must be an object of state variables")
    known = {field.name for field in fields(state_class)}
    return state_class(**{name: value for name, value in carried.items() if name in known})
