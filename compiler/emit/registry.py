"""The emit function of each node type, by type name: the compiler's half of a node type.

The registry (workflows/node_types) holds what a type *is*, as data; the
graph domain never imports the compiler, so the code that turns a node into
statements is registered here, beside the emitters, with `@emitter("<type>")`.
compiler/emit/flow.py dispatches every Step and Container block of the tree
through this one table, so the emitter modules need not know each other:
a container's emitter prints its slots with `flow.sequence`, which comes
back here for whatever the slots hold.

compiler/emit/emitters.py imports every module that registers, so the table
is full before the first workflow is emitted; tests/compiler/emit/test_registry.py
checks every flow node type has exactly one emitter.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from compiler.emit.names import Scope
from compiler.emit.support import EmitContext
from compiler.ir import IRNode
from compiler.tree import Container, Step

# A node's statements, comment and progress tracking included (`EmitContext.step` in compiler/emit/support.py).
Emitter = Callable[[EmitContext, Step | Container], list[ast.stmt]]

# What a plain step does, without its label and progress tracking (`step_emitter` adds them).
StepStatements = Callable[[EmitContext, IRNode], list[ast.stmt]]

# The methods of a declaration type (signal handlers, queries): every node of the type, in graph order,
# and the class body's names, from which each method takes its own.
DeclarationEmitter = Callable[[EmitContext, list[IRNode], Scope], list[ast.stmt]]

EMITTERS: dict[str, Emitter] = {}
DECLARATION_EMITTERS: dict[str, DeclarationEmitter] = {}


def _register(table: dict[str, Callable], kind: str, type_name: str) -> Callable[[Callable], Callable]:
    """A decorator that enters its function in `table` under `type_name`, refusing a second one."""

    def register(function: Callable) -> Callable:
        if type_name in table:
            raise ValueError(f"{kind} type {type_name!r} already has an emitter ({table[type_name].__qualname__})")
        table[type_name] = function
        return function

    return register


def emitter(type_name: str) -> Callable[[Emitter], Emitter]:
    """Register the decorated function as the emitter of nodes of `type_name`."""
    return _register(EMITTERS, "node", type_name)


def step_emitter(type_name: str) -> Callable[[StepStatements], StepStatements]:
    """Register a step's statements; they run under its label, tracked by the `progress` query."""

    def register(statements: StepStatements) -> StepStatements:
        def emit_step(ctx: EmitContext, item: Step | Container) -> list[ast.stmt]:
            return ctx.step(item.node, statements(ctx, item.node))

        emit_step.__qualname__ = statements.__qualname__
        emitter(type_name)(emit_step)
        return statements

    return register


def declaration_emitter(type_name: str) -> Callable[[DeclarationEmitter], DeclarationEmitter]:
    """Register the decorated function as the emitter of the declarations of `type_name` (workflow methods)."""
    return _register(DECLARATION_EMITTERS, "declaration", type_name)


def unregister(type_name: str) -> None:
    """Forget an emitter (a test's throwaway type)."""
    EMITTERS.pop(type_name, None)
    DECLARATION_EMITTERS.pop(type_name, None)
