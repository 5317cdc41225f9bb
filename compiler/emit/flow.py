"""The body of `run`: tree blocks (compiler/tree.py) become statements.

Conditions (`If`) and error edges (`Try`) are the flow's own structure and
are printed here; every Step and Container block is printed by its node
type's emitter, found in one table (compiler/emit/registry.py, handed over
in `ctx.emitters`). A
container's emitter prints its slots with `sequence`, so containers nest
without their modules importing each other.
"""

from __future__ import annotations

import ast

from compiler.emit.support import EmitContext, attr, call, config_of, name
from compiler.ir import IRNode
from compiler.tree import Block, If, Sequence, Try, blocks
from vocabulary import ERROR_NAME, STEP_RETRY_DEFAULTS
from workflows.node_types import NODE_TYPES


def sequence(ctx: EmitContext, steps: Sequence) -> list[ast.stmt]:
    """Statements of a sequence (possibly empty); iterative over its steps."""
    body: list[ast.stmt] = []
    for item in steps.steps:
        body.extend(block(ctx, item))
    return body


def suite(statements: list[ast.stmt]) -> list[ast.stmt]:
    """A block body Python accepts: `pass` when there is nothing to do."""
    return statements or [ast.Pass()]


def block(ctx: EmitContext, item: Block) -> list[ast.stmt]:
    if isinstance(item, If):
        return condition(ctx, item)
    if isinstance(item, Try):
        return guarded(ctx, item)
    return ctx.emitters[item.node.type](ctx, item)


def condition(ctx: EmitContext, item: If) -> list[ast.stmt]:
    """`if`/`else`; each branch first marks the nodes only the other branch has as skipped."""
    test = ctx.expression(item.node, "expression", config_of(item.node).get("expression"))
    then_keys, orelse_keys = node_keys(ctx, item.then), node_keys(ctx, item.orelse)
    then, orelse = sequence(ctx, item.then), sequence(ctx, item.orelse)
    then = _skip([key for key in orelse_keys if key not in then_keys]) + then
    orelse = _skip([key for key in then_keys if key not in orelse_keys]) + orelse
    if not then and orelse:
        test, then, orelse = ast.UnaryOp(ast.Not(), test), orelse, []
    return [ctx.label(item.node), ast.If(test, suite(then), orelse)]


def _skip(keys: list[str]) -> list[ast.stmt]:
    return [ast.Expr(call("self.progress.skip", *map(ast.Constant, keys)))] if keys else []


def guarded(ctx: EmitContext, item: Try) -> list[ast.stmt]:
    """A step with an error edge: `try: step / except FailureError: error path / else: rest`.

    The handler first re-raises a cancellation (compiler/runtime/failures.py):
    a cancelled workflow ends cancelled, it does not take its error edges.
    When the error path reads `error`, the handler sets it first
    (`failure_details`, compiler/runtime/errors.py).
    """
    ctx.uses.update({"FailureError", "reraise_run_ending"})
    reraise = ast.Expr(call("reraise_run_ending", name("failure")))
    with ctx.binding({ERROR_NAME: name(ERROR_NAME)}) as used:
        on_error = sequence(ctx, item.on_error)
    details = [_error_details(ctx, item.step.node)] if used else []
    handler = ast.ExceptHandler(attr("FailureError"), "failure", [reraise, *details, *on_error])
    return [ast.Try(block(ctx, item.step), [handler], sequence(ctx, item.on_success), [])]


def _error_details(ctx: EmitContext, node: IRNode) -> ast.stmt:
    """`error = failure_details(failure, '<key>', max_attempts=n)`, n from the step's retry policy if it has one."""
    ctx.uses.add("failure_details")
    keywords = {}
    if NODE_TYPES[node.type].field("retry") is not None:
        attempts = {**STEP_RETRY_DEFAULTS, **(config_of(node).get("retry") or {})}["max_attempts"]
        keywords["max_attempts"] = ctx.number(node, "retry.max_attempts", attempts)
    details = call("failure_details", name("failure"), ast.Constant(node.key), **keywords)
    return ast.Assign([ast.Name(ERROR_NAME, ast.Store())], details)


def node_keys(ctx: EmitContext, steps: Sequence) -> list[str]:
    """Keys the `progress` query tracks among the sequence's nodes, in order, without repeats."""
    keys: dict[str, None] = {}
    for item in blocks(steps):
        node = getattr(item, "node", None)
        if node is not None and node.key in ctx.tracked:
            keys[node.key] = None
    return list(keys)
