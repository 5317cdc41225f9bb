"""The body of `run`: tree blocks (compiler/tree.py) become statements.

Each executing step runs inside `with self.progress.step("<key>"):` so the
built-in `progress` query sees it running, completed or failed; each is
preceded by a `# <label> [<key>]` comment. Activities are called by name
with one dict of evaluated arguments, `activity_id` = node key and
`summary` = label, so a run's history maps back to the graph.
"""

from __future__ import annotations

import ast

from compiler.emit_support import EmitContext, attr, call, config_of
from compiler.ir import IRNode
from compiler.tree import Block, If, Phase, Sequence, Step, Try

PARENT_CLOSE = {"terminate": "TERMINATE", "abandon": "ABANDON", "request_cancel": "REQUEST_CANCEL"}


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
    if isinstance(item, Phase):
        return phase(ctx, item)
    return step(ctx, item)


def condition(ctx: EmitContext, item: If) -> list[ast.stmt]:
    test = ctx.expression(item.node, "expression", config_of(item.node).get("expression"))
    then, orelse = sequence(ctx, item.then), sequence(ctx, item.orelse)
    if not then and orelse:
        test, then, orelse = ast.UnaryOp(ast.Not(), test), orelse, []
    return [ctx.label(item.node), ast.If(test, suite(then), orelse)]


def guarded(ctx: EmitContext, item: Try) -> list[ast.stmt]:
    """A step with an error edge: `try: step / except FailureError: error path / else: rest`."""
    ctx.uses.add("FailureError")
    handler = ast.ExceptHandler(attr("FailureError"), None, suite(sequence(ctx, item.on_error)))
    return [ast.Try(block(ctx, item.step), [handler], sequence(ctx, item.on_success), [])]


def phase(ctx: EmitContext, item: Phase) -> list[ast.stmt]:
    title = config_of(item.node).get("name") or item.node.label
    tracker = call("self.progress.phase", ast.Constant(item.node.key), ast.Constant(str(title)))
    body = suite(sequence(ctx, item.body))
    return [ctx.comment(f"Phase: {title} [{item.node.key}]"), ast.With([ast.withitem(tracker)], body)]


def step(ctx: EmitContext, item: Step) -> list[ast.stmt]:
    node = item.node
    if node.type == "end":
        result = config_of(node).get("result")
        value = ctx.expression(node, "result", result) if result else ast.Constant(None)
        return [ctx.label(node), ast.Return(value)]
    statements = STEP_EMITTERS[node.type](ctx, node)
    tracker = call("self.progress.step", ast.Constant(node.key))
    return [ctx.label(node), ast.With([ast.withitem(tracker)], statements)]


def _store(ctx: EmitContext, node: IRNode, field: str, value: ast.expr) -> list[ast.stmt]:
    """`self.state.<var> = value` when the node names a variable, else just `value`."""
    variable = config_of(node).get(field)
    if variable and ctx.identifier(node, field, variable):
        return [ast.Assign([ctx.target(variable)], value)]
    return [ast.Expr(value)]


def _arguments(ctx: EmitContext, node: IRNode, field: str) -> ast.Dict:
    """An expression map as a dict literal, keys sorted (config key order is not kept by every database)."""
    mapping = config_of(node).get(field) or {}
    if not isinstance(mapping, dict):
        ctx.fail(f"{field} must be an object of name -> expression", node, field)
        return ast.Dict([], [])
    keys = sorted(mapping, key=str)
    values = [ctx.expression(node, f"{field}.{key}", mapping[key]) for key in keys]
    return ast.Dict([ast.Constant(str(key)) for key in keys], values)


def _retry_policy(ctx: EmitContext, node: IRNode) -> ast.expr:
    policy = config_of(node).get("retry") or {}
    if not isinstance(policy, dict):
        ctx.fail("retry must be an object", node, "retry")
        policy = {}
    ctx.uses.add("RetryPolicy")
    keywords = {
        "initial_interval": ctx.seconds(node, "retry.initial_interval", policy.get("initial_interval", 1.0)),
        "backoff_coefficient": ctx.number(node, "retry.backoff_coefficient", policy.get("backoff_coefficient", 2.0)),
        "maximum_attempts": ctx.number(node, "retry.max_attempts", policy.get("max_attempts", 0)),
    }
    if policy.get("maximum_interval") is not None:
        keywords["maximum_interval"] = ctx.seconds(node, "retry.maximum_interval", policy["maximum_interval"])
    errors = policy.get("non_retryable_errors") or []
    if errors:
        keywords["non_retryable_error_types"] = ctx.literal(node, "retry.non_retryable_errors", list(errors))
    return call("RetryPolicy", **keywords)


def _activity_call(ctx: EmitContext, node: IRNode, activity: str, arguments: ast.expr) -> ast.expr:
    config = config_of(node)
    keywords = {
        "activity_id": ast.Constant(node.key),
        "summary": ast.Constant(node.label or node.key),
        "start_to_close_timeout": ctx.seconds(node, "start_to_close_timeout", config.get("start_to_close_timeout")),
    }
    if config.get("heartbeat_timeout"):
        keywords["heartbeat_timeout"] = ctx.seconds(node, "heartbeat_timeout", config["heartbeat_timeout"])
    keywords["retry_policy"] = _retry_policy(ctx, node)
    return ast.Await(call("workflow.execute_activity", ast.Constant(activity), arguments, **keywords))


def activity(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    name = config_of(node).get("activity")
    if not isinstance(name, str) or not name:
        ctx.fail("activity: choose a registered activity", node, "activity")
    value = _activity_call(ctx, node, str(name), _arguments(ctx, node, "args"))
    return _store(ctx, node, "result_var", value)


def agent(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """The built-in `agent` activity; the output variable gets the agent's `output`."""
    config = config_of(node)
    request = {
        "prompt": ctx.literal(node, "prompt", config.get("prompt", "")),
        "context": _arguments(ctx, node, "context"),
        "model": ctx.literal(node, "model", config.get("model", "")),
        "tools": ctx.literal(node, "tools", list(config.get("tools") or [])),
        "output_schema": ctx.literal(node, "output_schema", config.get("output_schema")),
        "max_turns": ctx.number(node, "max_turns", config.get("max_turns", 5)),
    }
    arguments = ast.Dict([ast.Constant(key) for key in request], list(request.values()))
    value = _activity_call(ctx, node, "agent", arguments)
    if config.get("output_var"):
        value = ast.Subscript(value, ast.Constant("output"), ast.Load())
    return _store(ctx, node, "output_var", value)


def child_workflow(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """Execute (wait) or start (continue at once; the variable gets the child's workflow id)."""
    config = config_of(node)
    policy = PARENT_CLOSE.get(config.get("parent_close_policy"), "TERMINATE")
    keywords = {}
    if config.get("workflow_id"):
        keywords["id"] = ctx.expression(node, "workflow_id", config["workflow_id"])
    keywords["parent_close_policy"] = attr(f"workflow.ParentClosePolicy.{policy}")
    keywords["static_summary"] = ast.Constant(node.label or node.key)
    function = "workflow.execute_child_workflow" if config.get("wait", True) else "workflow.start_child_workflow"
    target = ast.Constant(str(config.get("workflow", "")))
    value: ast.expr = ast.Await(call(function, target, ctx.expression(node, "input", config.get("input")), **keywords))
    if not config.get("wait", True) and config.get("result_var"):
        value = ast.Attribute(value, "id", ast.Load())
    return _store(ctx, node, "result_var", value)


def signal_send(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """A signal to a running workflow, by workflow id."""
    config = config_of(node)
    handle = call(
        "workflow.get_external_workflow_handle", ctx.expression(node, "workflow_id", config.get("workflow_id"))
    )
    signal = ast.Constant(str(config.get("signal", "")))
    payload = ctx.expression(node, "payload", config.get("payload"))
    return [ast.Expr(ast.Await(call(ast.Attribute(handle, "signal", ast.Load()), signal, payload)))]


def timer(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """A durable sleep; the duration expression gives seconds."""
    duration = ctx.expression(node, "duration", config_of(node).get("duration"))
    sleep = call("workflow.sleep", duration, summary=ast.Constant(node.label or node.key))
    return [ast.Expr(ast.Await(sleep))]


STEP_EMITTERS = {
    "activity": activity,
    "agent": agent,
    "child_workflow": child_workflow,
    "signal_send": signal_send,
    "timer": timer,
}
