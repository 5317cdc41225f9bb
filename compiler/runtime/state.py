"""State helpers for generated signal handlers; pure, so they run in the workflow sandbox."""

from __future__ import annotations

from typing import Any


def merge_records(current: list | None, incoming: Any, *, key: str = "name", priority: str = "") -> list:
    """`current` with `incoming` records added, one record per `key`.

    On a clash the record with the higher `priority` field wins (the newer
    one when priorities are equal or no priority field is named). A single
    record may be passed instead of a list. Order: existing records keep
    their place, new keys are appended in arrival order.
    """
    records = list(current or [])
    arriving = incoming if isinstance(incoming, list) else [incoming]
    index = {record.get(key): position for position, record in enumerate(records) if isinstance(record, dict)}
    for record in arriving:
        if not isinstance(record, dict):
            raise TypeError(f"merge expects records (objects with a {key!r} field), got {type(record).__name__}")
        position = index.get(record.get(key))
        if position is None:
            index[record.get(key)] = len(records)
            records.append(record)
        elif not priority or _rank(record, priority) >= _rank(records[position], priority):
            records[position] = record
    return records


def _rank(record: dict, priority: str) -> float:
    value = record.get(priority)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else float("-inf")
