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

from collections.abc import Callable, Iterator

from compiler.diagnostics import Diagnostic, error
from compiler.ir import IRNode, enclosing

ON_COMPLETE = "on_complete"

# The container around a node whose steps run in a task of their own (its key), or None.
HolderOf = Callable[[IRNode, dict[str, IRNode]], str | None]


def check_on_complete(nodes: list[IRNode]) -> Iterator[Diagnostic]:
    yield from refused_inside(
        nodes,
        "end",
        _enclosing_on_complete,
        "An end node cannot be among the on_complete steps of spawner '{holder}' "
        "(they run once per finished child, side by side)",
        "end the workflow after the spawner instead",
    )
    yield from refused_inside(
        nodes,
        "spawner",
        _enclosing_on_complete,
        "A spawner cannot be inside the on_complete steps of spawner '{holder}'",
        "start a child workflow that spawns",
    )


def refused_inside(
    nodes: list[IRNode], node_type: str, holder_of: HolderOf, message: str, hint: str
) -> Iterator[Diagnostic]:
    """An error on each `node_type` node that `holder_of` finds inside a container that refuses it.

    `message` names the container as `{holder}`; the error points at the node's parent field.
    """
    by_key = {node.key: node for node in nodes}
    for node in nodes:
        holder = holder_of(node, by_key) if node.type == node_type else None
        if holder is not None:
            yield error(message.format(holder=holder), node=node.key, field="parent", hint=hint)


def _enclosing_on_complete(node: IRNode, by_key: dict[str, IRNode]) -> str | None:
    """The key of the nearest spawner whose on_complete slot holds `node` (directly or in containers)."""
    holders = (parent for parent, inner in enclosing(node, by_key) if inner.slot == ON_COMPLETE)
    return next((parent.key for parent in holders if parent.type == "spawner"), None)
