"""Undo and redo for the editor, derived from the revision history alone.

Every save is a revision; undo and redo restore an earlier revision with
`services.revision_restore`, which is itself a new revision ("restored
revision N"). Replaying the history with a cursor tells which revision an
undo or redo would restore, with no extra state to keep in sync:

- an ordinary save pushes its revision and drops what could be redone;
- a restore of the revision just below the cursor is an undo, of the one
  just above it a redo (they move the cursor);
- a restore of anything else (from the API, say) counts as an ordinary save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RESTORED = re.compile(r"^restored revision (\d+)$")


@dataclass(frozen=True)
class History:
    undo: int | None  # revision number an undo restores
    redo: int | None


def history_targets(revisions: list[tuple[int, str]]) -> History:
    """revisions: (number, message) of one workflow, oldest first."""
    states: list[int] = []
    cursor = -1
    for number, message in revisions:
        restored = RESTORED.match(message or "")
        target = int(restored.group(1)) if restored else None
        if target is not None and cursor > 0 and states[cursor - 1] == target:
            cursor -= 1
        elif target is not None and cursor + 1 < len(states) and states[cursor + 1] == target:
            cursor += 1
        else:
            states = [*states[: cursor + 1], number]
            cursor = len(states) - 1
    undo = states[cursor - 1] if cursor > 0 else None
    redo = states[cursor + 1] if 0 <= cursor < len(states) - 1 else None
    return History(undo=undo, redo=redo)


def workflow_history(workflow) -> History:
    """One query, whatever the length of the history (only numbers and messages are read)."""
    rows = workflow.revisions.order_by("number").values_list("number", "message")
    return history_targets(list(rows))
