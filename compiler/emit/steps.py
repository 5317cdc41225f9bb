"""Emitters of the plain steps: activity, agent, child_workflow, signal_send, timer and end.

Each executing step runs inside `with self.progress.step("<key>"):` so the
built-in `progress` query sees it running, completed or failed; each is
preceded by a `# <label> [<key>]` comment. Activities are called by name
with one dict of evaluated arguments, `activity_id` = node key and
`summary` = label, so a run's history maps back to the graph, and with a
heartbeat timeout, so a step whose worker died is noticed within seconds.
"""

from __future__ import annotations

import ast

from compiler.emit.registry import emitter, step_emitter
from compiler.emit.retry import Setting
from compiler.emit.support import EmitContext, attr, call, config_of, name
from compiler.ir import IRNode
from compiler.tree import Step
from vocabulary import PARENT_CLOSE_POLICIES, STEP_RETRY_DEFAULTS

# signal_send nodes have no timeout or retry settings; signal-with-start is one quick server call.
SIGNAL_WITH_START_TIMEOUT = 30
SIGNAL_WITH_START_ATTEMPTS = 5
# Seconds without a heartbeat after which a step's worker counts as lost (nodes may set their own).
# Registered activities heartbeat while they run (compiler/activities/registry.py), so this is how
# soon a dead worker's step is retried by Temporal or re-run by its retry block.
DEFAULT_HEARTBEAT_TIMEOUT = 30


@emitter("end")
def end(ctx: EmitContext, item: Step) -> list[ast.stmt]:
    """`return <result>`: marks the nodes still pending as skipped and ends the run."""
    node = item.node
    result = config_of(node).get("result")
    value = ctx.expression(node, "result", result) if result else ast.Constant(None)
    return [ctx.label(node), ast.Expr(call("self.progress.finish")), ast.Return(value)]


def _store(ctx: EmitContext, node: IRNode, field: str, value: ast.expr) -> list[ast.stmt]:
    """`self.state.<var> = value` when the node names a variable, else just `value`."""
    variable = config_of(node).get(field)
    if variable and ctx.identifier(node, field, variable):
        return [ast.Assign([ctx.target(variable)], value)]
    return [ast.Expr(value)]


def arguments_of(ctx: EmitContext, node: IRNode, field: str) -> ast.Dict:
    """An expression map as a dict literal, keys sorted (config key order is not kept by every database)."""
    mapping = config_of(node).get(field) or {}
    assert isinstance(mapping, dict), f"{field} of {node.key!r}: the graph was not validated"  # the config check
    keys = sorted(mapping, key=str)
    values = [ctx.expression(node, f"{field}.{key}", mapping[key]) for key in keys]
    return ast.Dict([ast.Constant(str(key)) for key in keys], values)


def _retry_policy(ctx: EmitContext, node: IRNode) -> ast.expr:
    """The node's retry settings, as a reference to the module's shared policy (compiler/emit/retry.py).

    Settings the config leaves out are the node type's defaults (vocabulary.py), never Temporal's.
    """
    given = config_of(node).get("retry") or {}
    assert isinstance(given, dict), f"retry of {node.key!r}: the graph was not validated"  # the config check
    policy = {**STEP_RETRY_DEFAULTS, **given}
    settings: dict[str, Setting] = {
        "initial_interval": ctx.number(node, "retry.initial_interval", policy["initial_interval"]).value,
        "backoff_coefficient": ctx.number(node, "retry.backoff_coefficient", policy["backoff_coefficient"]).value,
        "maximum_attempts": ctx.number(node, "retry.max_attempts", policy["max_attempts"]).value,
    }
    if policy.get("maximum_interval") is not None:
        settings["maximum_interval"] = ctx.number(node, "retry.maximum_interval", policy["maximum_interval"]).value
    errors = policy.get("non_retryable_errors") or []
    if errors:
        assert isinstance(errors, list) and all(isinstance(error, str) for error in errors), node.key
        settings["non_retryable_error_types"] = tuple(errors)
    return ctx.retry_policies.reference(settings)


def activity_call(ctx: EmitContext, node: IRNode, activity: str, arguments: ast.expr) -> ast.expr:
    config = config_of(node)
    keywords = {
        "activity_id": ctx.activity_id(node),
        "summary": ast.Constant(node.label or node.key),
        "start_to_close_timeout": ctx.seconds(node, "start_to_close_timeout", config.get("start_to_close_timeout")),
    }
    heartbeat_timeout = config.get("heartbeat_timeout") or DEFAULT_HEARTBEAT_TIMEOUT
    keywords["heartbeat_timeout"] = ctx.seconds(node, "heartbeat_timeout", heartbeat_timeout)
    keywords["retry_policy"] = _retry_policy(ctx, node)
    return ast.Await(call("workflow.execute_activity", ast.Constant(activity), arguments, **keywords))


@step_emitter("activity")
def activity(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    name = config_of(node).get("activity")
    assert isinstance(name, str) and name, f"activity of {node.key!r}: the graph was not validated"
    value = activity_call(ctx, node, name, arguments_of(ctx, node, "args"))
    return _store(ctx, node, "result_var", value)


@step_emitter("agent")
def agent(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """The built-in `agent` activity; the output variable gets the agent's `output`."""
    config = config_of(node)
    request = {
        "prompt": ctx.literal(node, "prompt", config.get("prompt", "")),
        "context": arguments_of(ctx, node, "context"),
        "model": ctx.literal(node, "model", config.get("model", "")),
        "tools": ctx.literal(node, "tools", list(config.get("tools") or [])),
        "output_schema": ctx.literal(node, "output_schema", config.get("output_schema")),
        "max_turns": ctx.number(node, "max_turns", config.get("max_turns", 5)),
    }
    arguments = ast.Dict([ast.Constant(key) for key in request], list(request.values()))
    value = activity_call(ctx, node, "agent", arguments)
    if config.get("output_var"):
        value = ast.Subscript(value, ast.Constant("output"), ast.Load())
    return _store(ctx, node, "output_var", value)


@step_emitter("child_workflow")
def child_workflow(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """Start the child and await it (wait) or go on at once (the variable gets the child's workflow id).

    The child's id (the given one, or a random one) goes through `in_project`
    (compiler/runtime/project_ids.py), so a child is always in this project.

    The handle is kept in `self._children` (compiler/runtime/children.py),
    where a `cancel_children` signal action finds the children still running.
    """
    config = config_of(node)
    policy = PARENT_CLOSE_POLICIES.get(config.get("parent_close_policy"))
    assert policy, f"parent_close_policy of {node.key!r}: the graph was not validated"  # the config check
    ctx.uses.add("in_project")
    if config.get("workflow_id"):
        child_id = ctx.expression(node, "workflow_id", config["workflow_id"])
    else:
        child_id = call("str", call("workflow.uuid4"))
    keywords = {"id": call("in_project", child_id)}
    keywords["parent_close_policy"] = attr(f"workflow.ParentClosePolicy.{policy}")
    keywords["static_summary"] = ast.Constant(node.label or node.key)
    target = ast.Constant(str(config.get("workflow", "")))
    start = call(
        "workflow.start_child_workflow", target, ctx.expression(node, "input", config.get("input")), **keywords
    )
    statements: list[ast.stmt] = [
        ast.Assign([ast.Name("child", ast.Store())], ast.Await(call("self._children.start", start)))
    ]
    if config.get("wait", True):
        return statements + _store(ctx, node, "result_var", ast.Await(name("child")))
    if config.get("result_var"):
        return statements + _store(ctx, node, "result_var", attr("child.id"))
    return statements


@step_emitter("signal_send")
def signal_send(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """A signal to a running workflow, by workflow id; with start_if_missing, the built-in
    `signal_with_start` activity, which starts the target workflow first when it is not running.

    Either way the target is in this project: the handle's id goes through
    `in_project`, and the activity scopes the id it is given the same way."""
    config = config_of(node)
    if config.get("start_if_missing"):
        request = {
            "workflow_id": ctx.expression(node, "workflow_id", config.get("workflow_id")),
            "workflow": ast.Constant(str(config.get("workflow") or "")),
            "signal": ast.Constant(str(config.get("signal", ""))),
            "payload": ctx.expression(node, "payload", config.get("payload")),
            "input": ctx.expression(node, "start_input", config.get("start_input")),
        }
        arguments = ast.Dict([ast.Constant(key) for key in request], list(request.values()))
        ctx.uses.add("timedelta")
        keywords = {
            "activity_id": ctx.activity_id(node),
            "summary": ast.Constant(node.label or node.key),
            "start_to_close_timeout": call("timedelta", seconds=ast.Constant(SIGNAL_WITH_START_TIMEOUT)),
            "retry_policy": ctx.retry_policies.reference({"maximum_attempts": SIGNAL_WITH_START_ATTEMPTS}),
        }
        return [
            ast.Expr(
                ast.Await(call("workflow.execute_activity", ast.Constant("signal_with_start"), arguments, **keywords))
            )
        ]
    ctx.uses.add("in_project")
    target = call("in_project", ctx.expression(node, "workflow_id", config.get("workflow_id")))
    handle = call("workflow.get_external_workflow_handle", target)
    signal = ast.Constant(str(config.get("signal", "")))
    payload = ctx.expression(node, "payload", config.get("payload"))
    return [ast.Expr(ast.Await(call(ast.Attribute(handle, "signal", ast.Load()), signal, payload)))]


@step_emitter("timer")
def timer(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """A durable sleep; the duration expression gives seconds."""
    duration = ctx.expression(node, "duration", config_of(node).get("duration"))
    sleep = call("workflow.sleep", duration, summary=ast.Constant(node.label or node.key))
    return [ast.Expr(ast.Await(sleep))]
