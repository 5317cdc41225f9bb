"""What may not stand among a spawner's on_complete steps, at any depth.

on_complete runs once per finished child, each time in a task of its own,
side by side with the others (compiler/emit/spawn.py). Two kinds of node
would mean something else there than the graph shows:
- an end node would only end its own on_complete task, not the workflow;
- a spawner would shadow the outer spawner's `item`, `result`,
  `child_status` and `error`.
Nodes whose container chain is broken are left to the structural checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.diagnostics import Diagnostic, error
from compiler.ir import IRNode, enclosing

ON_COMPLETE = "on_complete"


def check_on_complete(nodes: list[IRNode]) -> Iterator[Diagnostic]:
    by_key = {node.key: node for node in nodes}
    for node in nodes:
        if node.type not in ("end", "spawner"):
            continue
        spawner = _enclosing_on_complete(node, by_key)
        if spawner is None:
            continue
        if node.type == "end":
            yield error(
                f"An end node cannot be among the on_complete steps of spawner '{spawner}' "
                "(they run once per finished child, side by side)",
                node=node.key,
                field="parent",
                hint="end the workflow after the spawner instead",
            )
        else:
            yield error(
                f"A spawner cannot be inside the on_complete steps of spawner '{spawner}'",
                node=node.key,
                field="parent",
                hint="start a child workflow that spawns",
            )


def _enclosing_on_complete(node: IRNode, by_key: dict[str, IRNode]) -> str | None:
    """The key of the nearest spawner whose on_complete slot holds `node` (directly or in containers)."""
    holders = (parent for parent, inner in enclosing(node, by_key) if inner.slot == ON_COMPLETE)
    return next((parent.key for parent in holders if parent.type == "spawner"), None)
