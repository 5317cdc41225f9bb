"""Emitters of the steps that run no activity: fail, assign and wait.

They are plain statements of `run` (no event of their own in the history):
a fail node raises `RunFailed` (compiler/runtime/failures.py), a
non-retryable ApplicationError of the node's type, so the run ends failed
and neither an error edge nor a retry block around it takes the failure;
an assign node sets its variables in one assignment, so every value
is computed from the variables as they were before the node; a wait node
awaits `workflow.wait_condition` (a timer in the history only when it has a
timeout, which `wait_until`, compiler/runtime/waiting.py, turns into a
`WaitTimedOut` failure for the error edge).
"""

from __future__ import annotations

import ast

from compiler.emit.registry import emitter, step_emitter
from compiler.emit.support import EmitContext, call, config_of
from compiler.ir import IRNode
from compiler.tree import Step


@emitter("fail")
def fail(ctx: EmitContext, item: Step) -> list[ast.stmt]:
    """`raise RunFailed(<message>, <details>, type=<error type>, non_retryable=True)`; pending nodes are skipped."""
    node = item.node
    config = config_of(node)
    message = ctx.expression(node, "message", config.get("message"))
    if not (isinstance(message, ast.Constant) and isinstance(message.value, str)):
        message = call("str", message)
    details = [ctx.expression(node, "details", config["details"])] if config.get("details") else []
    error_type = ast.Constant(str(config.get("error_type")))
    ctx.uses.add("RunFailed")
    raised = call("RunFailed", message, *details, type=error_type, non_retryable=ast.Constant(True))
    failure = ctx.run_locals.local("run_failed")  # assigned, so a long call is laid out one argument per line
    return [
        ctx.label(node),
        ast.Assign([ast.Name(failure, ast.Store())], raised),
        ast.Expr(call("self.progress.finish")),
        ast.Raise(ast.Name(failure, ast.Load()), None),
    ]


@step_emitter("assign")
def assign(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """`self.state.a, self.state.b = [<a>, <b>]`, variables in name order (databases do not keep key order)."""
    values = config_of(node).get("values")
    assert isinstance(values, dict) and values, f"values of {node.key!r}: the graph was not validated"
    names = sorted(values)
    targets = [ctx.target(name) for name in names if ctx.identifier(node, f"values.{name}", name)]
    computed = [ctx.expression(node, f"values.{name}", values[name]) for name in names]
    if len(names) == 1:
        return [ast.Assign(targets, computed[0])]
    # Unpacked from a list, which the layout splits one value per line when it is long.
    return [ast.Assign([ast.Tuple(targets, ast.Store())], ast.List(computed, ast.Load()))]


@step_emitter("wait")
def wait(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """`await workflow.wait_condition(lambda: <until>)`, or `await wait_until(lambda: ..., <timeout>, key, label)`."""
    config = config_of(node)
    ready = ast.Lambda(
        ast.arguments([], [], None, [], [], None, []), ctx.expression(node, "until", config.get("until"))
    )
    if not config.get("timeout"):
        return [ast.Expr(ast.Await(call("workflow.wait_condition", ready)))]
    ctx.uses.add("wait_until")
    timeout = ctx.expression(node, "timeout", config["timeout"])
    label = ast.Constant(node.label or node.key)
    return [ast.Expr(ast.Await(call("wait_until", ready, timeout, ast.Constant(node.key), label)))]
