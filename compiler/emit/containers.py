"""Retry blocks and loops: the containers whose body runs more than once.

A retry_block becomes

    retry_build = RetryBlock(self.progress, 'build', 'Build', max_attempts=3, ...)
    while True:
        try:
            <body>
            break
        except FailureError as failure:
            if retry_build.worker_lost(failure):    # a heartbeat timeout: run the attempt again
                continue
            retry_build.failed(failure)    # raises when no attempt is left
        await workflow.sleep(retry_build.delay, summary=...)   # unless backoff is none
        <remediation>
        retry_build.attempt += 1

so `attempt` and `last_error` in the slots' expressions read
`retry_build.attempt` / `retry_build.last_error`, and a step whose worker
died spends no attempt and runs no remediation (compiler/runtime/retry.py). A loop becomes a `while`
that first waits for `wait_for` (signals are handled while it waits) and,
after each iteration, continues as new when the server suggests it, after
N iterations or after N seconds, carrying the input and the whole state
(compiler/runtime/loop.py). Both run their slots inside `ctx.scope()`, so
activities there get counted ids (`<key>-<n>`).
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator

from compiler.emit.steps import sequence, suite
from compiler.emit.support import EmitContext, attr, call, config_of, name, python_name
from compiler.ir import IRNode
from compiler.lower import returns
from compiler.runtime.loop import CARRIED_STATE
from compiler.tree import Block, Loop, Retry, Sequence


def container(ctx: EmitContext, item: Retry | Loop) -> list[ast.stmt]:
    statements = retry_block(ctx, item) if isinstance(item, Retry) else loop(ctx, item)
    tracker = call("self.progress.step", ast.Constant(item.node.key))
    return [ctx.label(item.node), ast.With([ast.withitem(tracker)], statements)]


def retry_block(ctx: EmitContext, item: Retry) -> list[ast.stmt]:
    node, config = item.node, config_of(item.node)
    helper = ctx.run_locals.local(f"retry_{python_name(node.key)}")
    backoff = config.get("backoff")
    assert backoff in ("exponential", "linear", "none"), f"backoff of {node.key!r}: the graph was not validated"
    ctx.uses.update({"RetryBlock", "FailureError"})
    label = node.label or node.key
    create = call(
        "RetryBlock",
        attr("self.progress"),
        ast.Constant(node.key),
        ast.Constant(label),
        max_attempts=ctx.number(node, "max_attempts", config.get("max_attempts")),
        backoff=ast.Constant(str(backoff)),
        initial_interval=ctx.number(node, "initial_interval", config.get("initial_interval")),
        multiplier=ctx.number(node, "multiplier", config.get("multiplier")),
        max_interval=ctx.number(node, "max_interval", config.get("max_interval")),
    )
    names = {"attempt": attr(f"{helper}.attempt"), "last_error": attr(f"{helper}.last_error")}
    with ctx.scope(names):
        body = sequence(ctx, item.body)
        remediation = sequence(ctx, item.remediation)
    if not returns(item.body):
        body.append(ast.Break())
    lost = [
        ctx.comment("A step whose worker died has not failed: run the same attempt again"),
        ast.If(call(f"{helper}.worker_lost", name("failure")), [ast.Continue()], []),
    ]
    failed = ast.Expr(call(f"{helper}.failed", name("failure")))
    handler = ast.ExceptHandler(attr("FailureError"), "failure", [*lost, failed])
    between: list[ast.stmt] = [ctx.comment("Between attempts")]
    if backoff != "none" and config.get("initial_interval"):
        summary = ast.Constant(f"Back off before the next attempt of {label}")
        between.append(ast.Expr(ast.Await(call("workflow.sleep", attr(f"{helper}.delay"), summary=summary))))
    increment = ast.AugAssign(ast.Attribute(name(helper), "attempt", ast.Store()), ast.Add(), ast.Constant(1))
    attempts = ast.While(
        ast.Constant(True), [ast.Try(suite(body), [handler], [], []), *between, *remediation, increment], []
    )
    return [ast.Assign([ast.Name(helper, ast.Store())], create), attempts]


def loop(ctx: EmitContext, item: Loop) -> list[ast.stmt]:
    node, config = item.node, config_of(item.node)
    prefix = python_name(node.key)
    condition = ctx.expression(node, "while_expression", config.get("while_expression") or "True")
    endless = isinstance(condition, ast.Constant) and condition.value is True
    with ctx.scope({}):
        body = sequence(ctx, item.body)
    # compiler/validate/structure.py refuses an empty loop that does not wait: it would spin.
    assert item.body.steps or config.get("wait_for"), f"empty loop {node.key!r}: the graph was not validated"
    head: list[ast.stmt] = []
    if config.get("wait_for"):
        ready = ctx.expression(node, "wait_for", config["wait_for"])
        over = _negated(condition)
        if not endless and ast.dump(ready) != ast.dump(over):  # stop waiting when the loop is over
            ready = ast.BoolOp(ast.Or(), [ready, over])
        wait = call("workflow.wait_condition", ast.Lambda(_no_arguments(), ready))
        head.append(ast.Expr(ast.Await(wait)))
        if not endless:
            head.append(ast.If(_negated(condition), [ast.Break()], []))
        test: ast.expr = ast.Constant(True)
    else:
        test = condition
    setup, tail = _continue_as_new(ctx, item, prefix)
    return [*setup, ast.While(test, [*head, *body, *tail] or [ast.Pass()], [])]


def _continue_as_new(ctx: EmitContext, item: Loop, prefix: str) -> tuple[list[ast.stmt], list[ast.stmt]]:
    """Counters set before the loop and the check after each iteration (both empty when never)."""
    node, config = item.node, config_of(item.node)
    setup: list[ast.stmt] = []
    tail: list[ast.stmt] = []
    reasons: list[ast.expr] = []
    if config.get("continue_as_new_suggested"):
        reasons.append(call(ast.Attribute(call("workflow.info"), "is_continue_as_new_suggested", ast.Load())))
    if config.get("continue_as_new_iterations"):
        counter = ctx.run_locals.local(f"{prefix}_iterations")
        setup.append(ast.Assign([ast.Name(counter, ast.Store())], ast.Constant(0)))
        tail.append(ast.AugAssign(ast.Name(counter, ast.Store()), ast.Add(), ast.Constant(1)))
        limit = ctx.number(node, "continue_as_new_iterations", config["continue_as_new_iterations"])
        reasons.append(ast.Compare(name(counter), [ast.GtE()], [limit]))
    if config.get("continue_as_new_seconds"):
        started = ctx.run_locals.local(f"{prefix}_started")
        setup.append(ast.Assign([ast.Name(started, ast.Store())], call("workflow.now")))
        elapsed = ast.BinOp(call("workflow.now"), ast.Sub(), name(started))
        limit = ctx.seconds(node, "continue_as_new_seconds", config["continue_as_new_seconds"])
        reasons.append(ast.Compare(elapsed, [ast.GtE()], [limit]))
    if not reasons:
        return setup, tail
    ctx.uses.add("asdict")
    carried = ast.Dict([None, ast.Constant(CARRIED_STATE)], [attr("self.input"), call("asdict", attr("self.state"))])
    handlers_done = call("workflow.wait_condition", attr("workflow.all_handlers_finished"))
    test = reasons[0] if len(reasons) == 1 else ast.BoolOp(ast.Or(), reasons)
    tail.append(
        ast.If(
            test,
            [
                ctx.comment("Continue as new with the input and the state (signal handlers finish first)"),
                ast.Expr(ast.Await(handlers_done)),
                ast.Expr(
                    call(
                        "workflow.continue_as_new",
                        carried,
                        # The next run starts on the current build, so an endless
                        # loop does not pin its first build forever.
                        initial_versioning_behavior=attr("workflow.ContinueAsNewVersioningBehavior.AUTO_UPGRADE"),
                    )
                ),
            ],
            [],
        )
    )
    return setup, tail


def _negated(test: ast.expr) -> ast.expr:
    """`not test`, without printing `not not x`."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    return ast.UnaryOp(ast.Not(), test)


def _no_arguments() -> ast.arguments:
    return ast.arguments([], [], None, [], [], None, [])


def blocks(steps: Sequence) -> Iterator[Block]:
    """Every block in a sequence, nested ones included (any block class: containers hold Sequences)."""
    pending: list[Block] = list(reversed(steps.steps))
    while pending:
        item = pending.pop()
        yield item
        inner: list[Block] = []
        for member in dataclasses.fields(item):
            value = getattr(item, member.name)
            if isinstance(value, Sequence):
                inner.extend(value.steps)
            elif dataclasses.is_dataclass(value) and not isinstance(value, IRNode):  # a Try's step
                inner.append(value)
        pending.extend(reversed(inner))


def node_keys(ctx: EmitContext, steps: Sequence) -> list[str]:
    """Keys the `progress` query tracks among the sequence's nodes, in order, without repeats."""
    keys: dict[str, None] = {}
    for item in blocks(steps):
        node = getattr(item, "node", None)
        if node is not None and node.key in ctx.tracked:
            keys[node.key] = None
    return list(keys)


def has_loops(steps: Sequence) -> bool:
    return any(isinstance(item, Loop) for item in blocks(steps))
