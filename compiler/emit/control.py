"""Emitters of the steps that run no activity: fail.

They are plain statements of `run` (no event of their own in the history):
a fail node raises `RunFailed` (compiler/runtime/failures.py), a
non-retryable ApplicationError of the node's type, so the run ends failed
and neither an error edge nor a retry block around it takes the failure.
"""

from __future__ import annotations

import ast

from compiler.emit.registry import emitter
from compiler.emit.support import EmitContext, call, config_of
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
