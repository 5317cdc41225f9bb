"""Continue-as-new in generated code: how a run hands over, and where the next run picks up.

A loop continues as new after an iteration and a spawner after a round
that stopped for the history's sake; both with `continue_as_new()`, which
carries the input and the state (compiler/runtime/loop.py), the spawner its
own entry as well. A loop's new run starts from the top, like its first.
A spawner's new run must not run the steps before the spawner again (their
results are in the carried state; run again, they would call their
activities and children twice), so each sequence on the way to a spawner
that may continue as new guards the steps before it:

    if not resumes_at(self.input, 'build-packages'):
        <steps before the spawner>

The way to the spawner may lead only through blocks that run their body
once, in order: a phase, or the guarded step of an error edge. A spawner
inside a branch, a loop, a retry block or a parallel branch cannot be
picked up in the middle, so it never continues as new.
"""

from __future__ import annotations

import ast

from compiler.emit.flow import block
from compiler.emit.support import EmitContext, attr, call, config_of
from compiler.ir import IRNode
from compiler.runtime.loop import CARRIED_STATE
from compiler.tree import Block, Container, Sequence, Try


def continue_as_new(ctx: EmitContext, comment: str, carried: dict[str, ast.expr] | None = None) -> list[ast.stmt]:
    """Wait for signal handlers, then continue as new with the input, the state and `carried` entries."""
    ctx.uses.update({"asdict", "restore_state"})
    entries = {CARRIED_STATE: call("asdict", attr("self.state")), **(carried or {})}
    carried_input = ast.Dict([None, *map(ast.Constant, entries)], [attr("self.input"), *entries.values()])
    handlers_done = call("workflow.wait_condition", attr("workflow.all_handlers_finished"))
    return [
        ctx.comment(f"{comment} (signal handlers finish first)"),
        ast.Expr(ast.Await(handlers_done)),
        ast.Expr(
            call(
                "workflow.continue_as_new",
                carried_input,
                # The next run starts on the current build, so an endless
                # loop does not pin its first build forever.
                initial_versioning_behavior=attr("workflow.ContinueAsNewVersioningBehavior.AUTO_UPGRADE"),
            )
        ),
    ]


def work_queue(ctx: EmitContext, node: IRNode) -> ast.expr | None:
    """`self.state.<name>` when a spawner's `items` is just a declared state variable (work-queue mode)."""
    items = config_of(node).get("items")
    declared = {config_of(state).get("name") for state in ctx.tree.states}
    if isinstance(items, str) and items.strip() in declared and items.strip().isidentifier():
        return ctx.target(items.strip())
    return None


def resumable(ctx: EmitContext, node: IRNode) -> bool:
    """Whether this spawner continues as new: a threshold set, a fixed list, reached only through run-once blocks."""
    return node.key in (key for item in ctx.tree.body.steps for key in _resume_points(ctx, item))


def resumable_sequence(ctx: EmitContext, steps: Sequence) -> list[ast.stmt]:
    """The statements of a sequence, the steps before a resumable spawner inside `if not resumes_at(...)`.

    Steps before several such spawners are skipped when any of them resumes.
    """
    groups: list[tuple[tuple[str, ...], list[ast.stmt]]] = []
    points = [_resume_points(ctx, item) for item in steps.steps]
    for position, item in enumerate(steps.steps):
        later = tuple(key for keys in points[position + 1 :] for key in keys)
        statements = block(ctx, item)
        if groups and groups[-1][0] == later:
            groups[-1][1].extend(statements)
        else:
            groups.append((later, statements))
    body: list[ast.stmt] = []
    for later, statements in groups:
        if later:
            ctx.uses.add("resumes_at")
            guard = ast.UnaryOp(ast.Not(), call("resumes_at", attr("self.input"), *map(ast.Constant, later)))
            body.append(ast.If(guard, statements, []))
        else:
            body.extend(statements)
    return body


def _resume_points(ctx: EmitContext, item: Block) -> tuple[str, ...]:
    """Keys of the spawners in `item` that a new run can resume: through phases and error edges' steps only."""
    if isinstance(item, Try):
        return _resume_points(ctx, item.step)
    if not isinstance(item, Container):
        return ()
    if item.node.type == "phase":
        return tuple(key for inner in item.slots["body"].steps for key in _resume_points(ctx, inner))
    if item.node.type == "spawner" and config_of(item.node).get("continue_as_new_events"):
        return () if work_queue(ctx, item.node) is not None else (item.node.key,)
    return ()
