"""Carrying state across continue-as-new, for workflows with loops or spawners that continue as new.

A loop continues as new with the workflow input plus one extra entry,
`"__state__"`: every field of the state dataclass (declared state variables
and step results) as plain data. The new run's `__init__` takes the entry
out of the input again and rebuilds its state from it, so a queue that
signals filled survives the new run. Fields the new code no longer has are
dropped and new fields keep their initial values, so a newer build of the
workflow can pick up state carried by an older one.

A spawner that continues as new (compiler/runtime/spawn.py) adds a second
entry, `"__spawn__"`: its key, its scheduler and the items not started yet.
The new run skips the steps before that spawner (`resumes_at`), since their
effects are in the carried state, and the spawner goes on where it stopped.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

CARRIED_STATE = "__state__"
CARRIED_SPAWN = "__spawn__"
State = TypeVar("State")


def restore_state(state_class: type[State], carried: Any) -> State:
    """A fresh state, with the carried values (a dict, or None for a first run) filled in."""
    if carried is None:
        return state_class()
    if not isinstance(carried, dict):
        raise TypeError(f"input entry {CARRIED_STATE!r} must be an object of state variables")
    known = {field.name for field in fields(state_class)}
    return state_class(**{name: value for name, value in carried.items() if name in known})


def resumes_at(input: dict, *spawners: str) -> bool:
    """Whether this run goes on from one of these spawners (its steps before them ran in an earlier run)."""
    carried = input.get(CARRIED_SPAWN)
    return isinstance(carried, dict) and carried.get("spawner") in spawners
