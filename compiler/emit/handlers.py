"""Declarations: the typed state dataclass, and the emitters of signal handlers, queries and updates (as methods).

Signal handlers only mutate state (as the Temporal samples do); in their
expressions `payload` is the signal's argument. Queries return an
expression over input and state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from compiler.emit.names import Scope
from compiler.emit.registry import declaration_emitter
from compiler.emit.support import EmitContext, attr, call, config_of, name
from compiler.ir import IRNode
from vocabulary import PAYLOAD_NAME, PROGRESS_QUERY

TYPE_DEFAULTS = {"str": "", "int": 0, "float": 0.0, "bool": False, "list": [], "dict": {}, "any": None}
TYPE_NAMES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "list": "list", "dict": "dict"}


def state_class(ctx: EmitContext, class_name: str) -> ast.ClassDef:
    """`@dataclass` with one typed field per state variable, then one `Any` field per result variable."""
    body: list[ast.stmt] = [ast.Expr(ast.Constant("State variables declared in the graph, then step results."))]
    declared = {}
    for node in ctx.tree.states:
        config = config_of(node)
        if config.get("name") in ctx.state_types and config["name"] not in declared:
            declared[config["name"]] = node
            kind = config.get("type", "any")
            initial = config.get("initial")
            initial = TYPE_DEFAULTS.get(kind) if initial is None else initial
            body += [ctx.label(node), _field(ctx, node, config["name"], kind, ctx.literal(node, "initial", initial))]
    for variable, node in ctx.tree.variables:
        if variable in ctx.state_types and variable not in declared:
            declared[variable] = node
            body += [ctx.comment(f"result of {node.key}"), _field(ctx, node, variable, "any", ast.Constant(None))]
    ctx.uses.add("dataclass")
    return ast.ClassDef(class_name, [], [], body, [name("dataclass")])


def _field(ctx: EmitContext, node, variable: str, kind: str, initial: ast.expr) -> ast.AnnAssign:
    annotation = name(TYPE_NAMES.get(kind, "Any"))
    if isinstance(initial, (ast.List, ast.Dict)):
        ctx.uses.add("field")
        empty = not (initial.elts if isinstance(initial, ast.List) else initial.keys)
        factory = name("list" if isinstance(initial, ast.List) else "dict") if empty else _lambda(initial)
        initial = call("field", default_factory=factory)
    return ast.AnnAssign(ast.Name(variable, ast.Store()), annotation, initial, 1)


def _lambda(body: ast.expr) -> ast.Lambda:
    return ast.Lambda(ast.arguments([], [], None, [], [], None, []), body)


def _method_name(prefix: str, label: str, methods: Scope) -> str:
    """`on_new_packages` for signal `newPackages`: snake case, ASCII, unique in the class."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", label)
    return methods.local(prefix + "_" + (re.sub(r"[^a-z0-9]+", "_", snake.lower()).strip("_") or "handler"))


@declaration_emitter("signal_handler")
def signal_methods(ctx: EmitContext, nodes: list[IRNode], methods: Scope) -> list[ast.stmt]:
    """Signal handlers named from `methods`, the class body's names."""
    handlers = []
    for node, _config, signal in _named(nodes, "signal", "signal"):
        body = _action_statements(ctx, node)
        decorator = call("workflow.signal", name=ast.Constant(signal))
        method = ast.FunctionDef(
            _method_name("on", signal, methods),
            _payload_arguments(),
            body or [ast.Pass()],
            [decorator],
            ast.Constant(None),
        )
        handlers += [ctx.label(node), method]
    return handlers


def _named(
    nodes: list[IRNode], field: str, kind: str, taken: tuple[str, ...] = ()
) -> Iterator[tuple[IRNode, dict, str]]:
    """Each declaration with its config and the name its `field` gives it; the names are unique (and not
    `taken`) because compiler/validate/declarations.py reports a missing, repeated or built-in name."""
    names = set(taken)
    for node in nodes:
        config = config_of(node)
        declared = config.get(field)
        assert declared and declared not in names, f"{kind} {declared!r} of {node.key!r}: the graph was not validated"
        names.add(declared)
        yield node, config, declared


def _action_statements(ctx: EmitContext, node: IRNode) -> list[ast.stmt]:
    """The statements of a handler's actions, in order."""
    return [statement for action in _actions(ctx, node) for statement in _action(ctx, node, action)]


def _actions(ctx: EmitContext, node) -> list[dict]:
    actions = config_of(node).get("actions") or []
    # The registry's config check (workflows/node_types/fields.py) refuses anything else; the validator reports it.
    assert isinstance(actions, list) and all(isinstance(action, dict) for action in actions), node.key
    return actions


def _action(ctx: EmitContext, node, action: dict) -> list[ast.stmt]:
    op, variable = action.get("op"), action.get("var")
    if op == "cancel_children":
        return _cancel_children()
    # compiler/validate/declarations.py reports an action on an undeclared state variable.
    assert variable in ctx.state_types, f"action on {variable!r} of {node.key!r}: the graph was not validated"
    target = ctx.target(variable)
    store = ast.Attribute(attr("self.state"), variable, ast.Store())
    if op == "clear":
        empty = ctx.literal(node, "actions", TYPE_DEFAULTS.get(ctx.state_types[variable]))
        return [ast.Assign([store], empty)]
    value = ctx.expression(
        node,
        f"actions.{op}",
        action.get("value", "1" if op == "increment" else None),
        local={PAYLOAD_NAME: name(PAYLOAD_NAME)},
    )
    if op == "set":
        return [ast.Assign([store], value)]
    if op in ("append", "extend"):
        return [ast.Expr(call(ast.Attribute(target, op, ast.Load()), value))]
    if op == "increment":
        return [ast.AugAssign(store, ast.Add(), value)]
    if op == "merge":
        ctx.uses.add("merge_records")
        keywords = {"key": ast.Constant(str(action.get("key") or "name"))}
        if action.get("priority"):
            keywords["priority"] = ast.Constant(str(action["priority"]))
        return [ast.Assign([store], call("merge_records", target, value, **keywords))]
    raise AssertionError(f"signal action {op!r} of {node.key!r}: the graph was not validated")


def _cancel_children() -> list[ast.stmt]:
    """Request cancellation of every child still running (compiler/runtime/children.py); `run`
    sees each one fail as cancelled."""
    return [ast.Expr(call("self._children.cancel_all"))]


@declaration_emitter("query")
def query_methods(ctx: EmitContext, nodes: list[IRNode], methods: Scope) -> list[ast.stmt]:
    """Query methods named from `methods`, the class body's names."""
    handlers = []
    for node, config, query in _named(nodes, "name", "query", taken=(PROGRESS_QUERY,)):
        arguments = ast.arguments([], [ast.arg("self")], None, [], [], None, [])
        body = [ast.Return(ctx.expression(node, "expression", config.get("expression")))]
        decorator = call("workflow.query", name=ast.Constant(query))
        handlers += [
            ctx.label(node),
            ast.FunctionDef(_method_name("query", query, methods), arguments, body, [decorator], name("Any")),
        ]
    return handlers


@declaration_emitter("update_handler")
def update_methods(ctx: EmitContext, nodes: list[IRNode], methods: Scope) -> list[ast.stmt]:
    """Per update: `@workflow.update` running the actions and returning `result`, and, when the update
    has required payload fields or a validator expression, its `@<method>.validator`, which rejects
    before anything is written to history."""
    handlers = []
    for node, config, update in _named(nodes, "name", "update"):
        payload = {PAYLOAD_NAME: name(PAYLOAD_NAME)}
        defaults = _payload_defaults(ctx, node, config)
        body = [*defaults, *_action_statements(ctx, node)]
        result = ctx.expression(node, "result", config["result"], local=payload) if config.get("result") else None
        body.append(ast.Return(result or ast.Constant(None)))
        method = _method_name("update", update, methods)
        decorator = call("workflow.update", name=ast.Constant(update))
        handlers += [ctx.label(node), ast.FunctionDef(method, _payload_arguments(), body, [decorator], name("Any"))]
        checks = _update_checks(ctx, node, config, payload)
        if checks:
            checks = [*checks[:2], *defaults, *checks[2:]] if _required(config) else [*defaults, *checks]
            validator = ast.FunctionDef(
                _method_name("validate", update, methods),
                _payload_arguments(),
                checks,
                [attr(f"{method}.validator")],
                ast.Constant(None),
            )
            handlers.append(validator)
    return handlers


def _payload_arguments() -> ast.arguments:
    return ast.arguments(
        [], [ast.arg("self"), ast.arg(PAYLOAD_NAME, name("Any"))], None, [], [], None, [ast.Constant(None)]
    )


def _update_checks(ctx: EmitContext, node: IRNode, config: dict, payload: dict) -> list[ast.stmt]:
    """Rejections: a missing required payload field, then a false validator expression (ValueError each)."""
    checks: list[ast.stmt] = []
    required = _required(config)
    if required:
        # missing = [key for key in (<required>,) if not isinstance(payload, dict) or key not in payload]
        not_given = ast.BoolOp(
            ast.Or(),
            [
                ast.UnaryOp(ast.Not(), call("isinstance", name(PAYLOAD_NAME), name("dict"))),
                ast.Compare(name("key"), [ast.NotIn()], [name(PAYLOAD_NAME)]),
            ],
        )
        keys = ast.Tuple([ast.Constant(key) for key in required], ast.Load())
        found = ast.ListComp(name("key"), [ast.comprehension(ast.Name("key", ast.Store()), keys, [not_given], 0)])
        message = ast.BinOp(
            ast.Constant("missing update field: "),
            ast.Add(),
            call(ast.Attribute(ast.Constant(", "), "join", ast.Load()), name("missing")),
        )
        checks += [
            ast.Assign([ast.Name("missing", ast.Store())], found),
            ast.If(name("missing"), [ast.Raise(call("ValueError", message), None)], []),
        ]
    if config.get("validator"):
        test = ctx.expression(node, "validator", config["validator"], local=payload)
        rejection = call("ValueError", ast.Constant(str(config.get("reject_message") or "rejected")))
        checks.append(ast.If(ast.UnaryOp(ast.Not(), test), [ast.Raise(rejection, None)], []))
    return checks


def _required(config: dict) -> list[str]:
    return [f["name"] for f in config.get("input_fields") or [] if f.get("required") and "default" not in f]


def _payload_defaults(ctx: EmitContext, node: IRNode, config: dict) -> list[ast.stmt]:
    """`payload = {<field>: <default>, ..., **(payload or {})}` when payload fields have defaults."""
    fields = [f for f in config.get("input_fields") or [] if "default" in f]
    if not fields:
        return []
    keys: list[ast.expr | None] = [ast.Constant(f["name"]) for f in fields]
    values = [ctx.literal(node, "input_fields", f["default"]) for f in fields]
    given = ast.BoolOp(ast.Or(), [name(PAYLOAD_NAME), ast.Dict([], [])])
    return [ast.Assign([ast.Name(PAYLOAD_NAME, ast.Store())], ast.Dict([*keys, None], [*values, given]))]
