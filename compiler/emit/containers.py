"""Emitters of the phase, retry_block and loop containers.

A phase becomes `with self.progress.phase('<key>', '<name>'):` around its
body, so the `progress` query names the running phase. A retry_block becomes

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

from compiler.emit.flow import sequence, suite
from compiler.emit.registry import emitter
from compiler.emit.resume import continue_as_new, resumable_sequence
from compiler.emit.support import EmitContext, attr, call, config_of, name, python_name
from compiler.lower import returns
from compiler.tree import Container
from vocabulary import BACKOFFS, RETRY_NAMES


@emitter("phase")
def phase(ctx: EmitContext, item: Container) -> list[ast.stmt]:
    title = config_of(item.node).get("name") or item.node.label
    tracker = call("self.progress.phase", ast.Constant(item.node.key), ast.Constant(str(title)))
    body = suite(resumable_sequence(ctx, item.slots["body"]))  # a spawner in it may continue as new
    return [ctx.comment(f"Phase: {title} [{item.node.key}]"), ast.With([ast.withitem(tracker)], body)]


@emitter("retry_block")
def retry_block(ctx: EmitContext, item: Container) -> list[ast.stmt]:
    node, config = item.node, config_of(item.node)
    body_slot, remediation_slot = item.slots["body"], item.slots["remediation"]
    helper = ctx.run_locals.local(f"retry_{python_name(node.key)}")
    backoff = config.get("backoff")
    assert backoff in BACKOFFS, f"backoff of {node.key!r}: the graph was not validated"
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
    with ctx.scope({local: attr(f"{helper}.{local}") for local in RETRY_NAMES}):
        body = sequence(ctx, body_slot)
        remediation = sequence(ctx, remediation_slot)
    if not returns(body_slot):
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
    return ctx.step(node, [ast.Assign([ast.Name(helper, ast.Store())], create), attempts])


@emitter("loop")
def loop(ctx: EmitContext, item: Container) -> list[ast.stmt]:
    """A `while`; a workflow with a loop takes its carried state out of the input (`restore_state`)."""
    node, config = item.node, config_of(item.node)
    ctx.uses.add("restore_state")
    prefix = python_name(node.key)
    condition = ctx.expression(node, "while_expression", config.get("while_expression") or "True")
    endless = isinstance(condition, ast.Constant) and condition.value is True
    with ctx.scope({}):
        body = sequence(ctx, item.slots["body"])
    # compiler/validate/structure.py refuses an empty loop that does not wait: it would spin.
    assert item.slots["body"].steps or config.get("wait_for"), f"empty loop {node.key!r}: the graph was not validated"
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
    return ctx.step(node, [*setup, ast.While(test, [*head, *body, *tail] or [ast.Pass()], [])])


def _continue_as_new(ctx: EmitContext, item: Container, prefix: str) -> tuple[list[ast.stmt], list[ast.stmt]]:
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
    test = reasons[0] if len(reasons) == 1 else ast.BoolOp(ast.Or(), reasons)
    tail.append(ast.If(test, continue_as_new(ctx, "Continue as new with the input and the state"), []))
    return setup, tail


def _negated(test: ast.expr) -> ast.expr:
    """`not test`, without printing `not not x`."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    return ast.UnaryOp(ast.Not(), test)


def _no_arguments() -> ast.arguments:
    return ast.arguments([], [], None, [], [], None, [])
