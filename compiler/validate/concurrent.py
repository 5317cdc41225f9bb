"""An end node may not stand in a branch of a parallel node, at any depth.

A parallel node runs each branch in a task of its own
(compiler/emit/concurrent.py), so an end node there would end only its own
branch's task, not the workflow: it is refused as among a spawner's
on_complete steps (compiler/validate/on_complete.py). Which branches run and
hold steps is the parallel type's own rule (`branches_in_use` in
workflows/node_types/builtin/parallel.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.diagnostics import Diagnostic
from compiler.ir import IRNode, enclosing
from compiler.validate.on_complete import refused_inside

PARALLEL = "parallel"


def check_parallel(nodes: list[IRNode]) -> Iterator[Diagnostic]:
    return refused_inside(
        nodes,
        "end",
        _enclosing_branch,
        "An end node cannot be in a branch of parallel '{holder}' (it would end only its own branch)",
        "end the workflow after the parallel node instead",
    )


def _enclosing_branch(node: IRNode, by_key: dict[str, IRNode]) -> str | None:
    """The key of the nearest parallel node one of whose branches holds `node` (at any depth)."""
    return next((parent.key for parent, _ in enclosing(node, by_key) if parent.type == PARALLEL), None)
