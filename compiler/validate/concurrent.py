"""What a parallel node's branches and a map node may hold.

A parallel node runs the first `branches` of its slots side by side, each in
a task of its own (compiler/emit/concurrent.py):
- a node in a slot beyond the count would never run (an error; raise the
  count or move it);
- a used branch without steps does nothing (a warning);
- an end node in a branch would end only its own branch's task, not the
  workflow, so it is refused as among a spawner's on_complete steps.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.diagnostics import Diagnostic, error, warning
from compiler.ir import IRNode, enclosing
from vocabulary import PARALLEL_BRANCHES, PARALLEL_MIN_BRANCHES
from workflows.node_types import NODE_TYPES

PARALLEL = "parallel"


def check_parallel(nodes: list[IRNode], configs: dict[str, dict]) -> Iterator[Diagnostic]:
    by_key = {node.key: node for node in nodes}
    used: dict[tuple[str, str], int] = {}
    for node in nodes:
        parent = by_key.get(node.parent) if node.parent is not None else None
        if parent is None or parent.type != PARALLEL or node.slot not in PARALLEL_BRANCHES:
            continue
        if not NODE_TYPES.get(node.type) or NODE_TYPES[node.type].is_declaration:
            continue
        used[(parent.key, node.slot)] = used.get((parent.key, node.slot), 0) + 1
        count = _count(configs[parent.key])
        if PARALLEL_BRANCHES.index(node.slot) >= count:
            yield error(
                f"'{parent.key}' runs {count} branches, so nothing in {node.slot.replace('_', ' ')} would run",
                node=node.key,
                field="slot",
                hint=f"raise the branches of '{parent.key}' or move this step into one of the first {count}",
            )
    for node in nodes:
        branch_of = _enclosing_branch(node, by_key) if node.type == "end" else None
        if branch_of:
            yield error(
                f"An end node cannot be in a branch of parallel '{branch_of}' (it would end only its own branch)",
                node=node.key,
                field="parent",
                hint="end the workflow after the parallel node instead",
            )
        if node.type != PARALLEL:
            continue
        for slot in PARALLEL_BRANCHES[: _count(configs[node.key])]:
            if not used.get((node.key, slot)):
                yield warning(
                    f"{slot.replace('_', ' ').capitalize()} of '{node.key}' has no steps",
                    node=node.key,
                    field="branches",
                    hint="add steps to it or lower the number of branches",
                )


def _count(config: dict) -> int:
    count = config.get("branches")
    return count if isinstance(count, int) else PARALLEL_MIN_BRANCHES


def _enclosing_branch(node: IRNode, by_key: dict[str, IRNode]) -> str | None:
    """The key of the nearest parallel node one of whose branches holds `node` (at any depth)."""
    return next((parent.key for parent, _ in enclosing(node, by_key) if parent.type == PARALLEL), None)
