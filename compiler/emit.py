"""Emitting: a lowered workflow tree becomes one readable Python module.

The module is built as `ast` nodes, printed with `ast.unparse`, laid out by
compiler/emit_layout.py (label comments, long calls split one argument per
line, blank lines between top-level definitions) and checked with
`compile()` (compiler/compile_check.py). It holds, in this order: imports
(temporalio, the standard library and `compiler.runtime` only), the
retry policies the steps share, the typed state dataclass, and the
`@workflow.defn(name=<identifier>)` class with `__init__` (`@workflow.init`,
so handlers see the input and state from the first signal on), `run`, the
signal handlers, the queries and the built-in `progress` query.

Same tree, same bytes: every collection is walked in graph order or sorted.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from compiler.compile_check import check_compiles
from compiler.diagnostics import Diagnostic, error, has_errors
from compiler.emit_containers import has_loops
from compiler.emit_handlers import query_methods, signal_methods, state_class
from compiler.emit_layout import render
from compiler.emit_steps import sequence, suite
from compiler.emit_support import EmitContext, attr, call, config_of, name, python_name
from compiler.lower import returns
from compiler.runtime.loop import CARRIED_STATE
from compiler.tree import WorkflowTree
from workflows.node_types.fields import must_be_given

TOO_DEEP = "the graph is nested too deeply to compile; flatten some conditions or phases"
# What Python's compiler says when blocks nest deeper than it allows.
PYTHON_NESTING_LIMITS = ("too many statically nested blocks", "too many levels of indentation")

# Names the module imports; a workflow class must not take one of them.
IMPORTED_NAMES = frozenset(
    {"Any", "ApplicationError", "FailureError", "Progress", "RetryBlock", "RetryPolicy"}
    | {"FIRST_COMPLETED", "Spawn", "dependency_order"}
)
IMPORTS = (
    ("asyncio", "FIRST_COMPLETED"),
    ("dataclasses", "asdict"),
    ("dataclasses", "dataclass"),
    ("dataclasses", "field"),
    ("datetime", "timedelta"),
    ("typing", "Any"),
    ("temporalio", "workflow"),
    ("temporalio.common", "RetryPolicy"),
    ("temporalio.exceptions", "ApplicationError"),
    ("temporalio.exceptions", "FailureError"),
    ("compiler.runtime.children", "Children"),
    ("compiler.runtime.failures", "reraise_cancellation"),
    ("compiler.runtime.loop", "restore_state"),
    ("compiler.runtime.progress", "Progress"),
    ("compiler.runtime.project_ids", "in_project"),
    ("compiler.runtime.retry", "RetryBlock"),
    ("compiler.runtime.spawn", "Spawn"),
    ("compiler.runtime.spawn", "dependency_order"),
)
# Errors of user expressions at run time (a missing key, a wrong type): they fail the
# workflow with their message instead of failing (and retrying) the workflow task forever.
EXPRESSION_ERRORS = ("LookupError", "TypeError", "ValueError", "ArithmeticError")


@dataclass(frozen=True)
class EmittedModule:
    source: str | None
    diagnostics: list[Diagnostic]
    class_name: str
    module_name: str


def class_name_for(identifier: str) -> str:
    candidate = python_name(identifier, camel=True)
    return candidate + "Workflow" if candidate in IMPORTED_NAMES else candidate


def module_name_for(identifier: str) -> str:
    return python_name(identifier)


def emit(tree: WorkflowTree) -> EmittedModule:
    """The module's source, or None with the diagnostics that prevented it."""
    ctx = EmitContext(tree)
    class_name = class_name_for(tree.identifier)
    module_name = module_name_for(tree.identifier)
    ctx.uses.update({"workflow", "Any", "Children", "Progress"})
    state = state_class(ctx, class_name + "State")
    workflow_class = _workflow_class(ctx, class_name, class_name + "State")
    header = [ctx.comment(line) for line in _header_lines(tree)]
    body = [*header, *_imports(ctx), *_retry_policies(ctx), state, workflow_class]
    if has_errors(ctx.diagnostics):
        return EmittedModule(None, ctx.diagnostics, class_name, module_name)
    source = render(ast.Module(body, []), ctx.comments)  # no locations: the source is printed, then compiled
    del state, workflow_class, body  # the tree is printed: free it before the compile check needs memory
    try:
        check_compiles(source, f"<workflow {module_name}>")
    except SyntaxError as problem:
        if any(limit in str(problem.msg) for limit in PYTHON_NESTING_LIMITS):
            ctx.diagnostics.append(error(TOO_DEEP))
        else:  # a compiler bug, never the user's graph
            ctx.diagnostics.append(error(f"internal compiler error: generated code does not compile ({problem.msg})"))
        return EmittedModule(None, ctx.diagnostics, class_name, module_name)
    return EmittedModule(source, ctx.diagnostics, class_name, module_name)


def _header_lines(tree: WorkflowTree) -> list[str]:
    lines = [f"Workflow {tree.identifier!r}: {tree.name or tree.identifier}"]
    lines += [line for line in (tree.description or "").splitlines() if line.strip()]
    return lines + ["Generated by the workflow compiler from the graph; edit the graph, not this file."]


def _retry_policies(ctx: EmitContext) -> list[ast.stmt]:
    definitions = ctx.retry_policies.definitions()
    if not definitions:
        return []
    return [ctx.comment("Retry policies of the steps below, one per distinct setting."), *definitions]


def _imports(ctx: EmitContext) -> list[ast.stmt]:
    """`from x import a, b` for what the module uses, in a fixed order."""
    ctx.uses |= ctx.retry_policies.imported_names()
    wanted: dict[str, list[str]] = {}
    for module, imported in IMPORTS:
        if imported in ctx.uses:
            wanted.setdefault(module, []).append(imported)
    if ctx.functions:
        wanted["compiler.runtime.functions"] = sorted(ctx.functions)
    if "merge_records" in ctx.uses:
        wanted["compiler.runtime.state"] = ["merge_records"]
    return [ast.ImportFrom(module, [ast.alias(item) for item in names], 0) for module, names in wanted.items()]


def _workflow_class(ctx: EmitContext, class_name: str, state_name: str) -> ast.ClassDef:
    tree = ctx.tree
    failures = ast.List([name(error) for error in EXPRESSION_ERRORS], ast.Load())
    decorator = call("workflow.defn", name=ast.Constant(tree.identifier), failure_exception_types=failures)
    methods = [_init(ctx, state_name), _run(ctx), *signal_methods(ctx), *query_methods(ctx), _progress_query()]
    docstring = ast.Expr(ast.Constant("The workflow's steps, signals and queries, in graph order."))
    return ast.ClassDef(class_name, [], [], [docstring, *methods], [decorator])


def _input_argument() -> ast.arguments:
    optional_dict = ast.BinOp(name("dict"), ast.BitOr(), ast.Constant(None))
    return ast.arguments(
        [], [ast.arg("self"), ast.arg("input", optional_dict)], None, [], [], None, [ast.Constant(None)]
    )


def _input_fields(ctx: EmitContext) -> list[dict]:
    fields = config_of(ctx.tree.start).get("input_fields") or []
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        ctx.fail("input_fields must be a list of fields with a name", ctx.tree.start, "input_fields")
        return []
    return fields


def _init(ctx: EmitContext, state_name: str) -> ast.FunctionDef:
    """Input with defaults filled in, fresh (or carried) state, progress of every tracked node, no children yet.

    A workflow with loops may continue as new; its input then carries the
    state under "__state__" (compiler/runtime/loop.py), taken out here.
    """
    defaults = [f for f in _input_fields(ctx) if "default" in f]
    keys: list[ast.expr | None] = [ast.Constant(f["name"]) for f in defaults]
    values = [ctx.literal(ctx.tree.start, "input_fields", f["default"]) for f in defaults]
    given = ast.BoolOp(ast.Or(), [name("input"), ast.Dict([], [])])
    merged = ast.Dict([*keys, None], [*values, given]) if defaults else call("dict", given)
    state = call(state_name)
    if has_loops(ctx.tree.body):
        ctx.uses.add("restore_state")
        carried = call("self.input.pop", ast.Constant(CARRIED_STATE), ast.Constant(None))
        state = call("restore_state", name(state_name), carried)
    body = [
        ast.Assign([attr("self.input")], merged),
        ast.Assign([attr("self.state")], state),
        ast.Assign([attr("self.progress")], call("Progress", ast.List([ast.Constant(k) for k in ctx.tree.tracked]))),
        ast.Assign([attr("self._children")], call("Children")),
    ]
    init = ast.FunctionDef("__init__", _input_argument(), body, [attr("workflow.init")], ast.Constant(None))
    return init


def _run(ctx: EmitContext) -> ast.AsyncFunctionDef:
    required = [f["name"] for f in _input_fields(ctx) if must_be_given(f)]
    body: list[ast.stmt] = []
    if required:
        ctx.uses.add("ApplicationError")
        names = ast.Tuple([ast.Constant(n) for n in required], ast.Load())
        missing = ast.ListComp(
            name("key"),
            [
                ast.comprehension(
                    ast.Name("key", ast.Store()),
                    names,
                    [ast.Compare(name("key"), [ast.NotIn()], [attr("self.input")])],
                    0,
                )
            ],
        )
        message = ast.BinOp(
            ast.Constant("missing required input: "),
            ast.Add(),
            call(ast.Attribute(ast.Constant(", "), "join", ast.Load()), name("missing")),
        )
        error_call = call("ApplicationError", message, non_retryable=ast.Constant(True))
        body += [
            ast.Assign([ast.Name("missing", ast.Store())], missing),
            ast.If(name("missing"), [ast.Raise(error_call, None)], []),
        ]
    body += sequence(ctx, ctx.tree.body)
    if not returns(ctx.tree.body):
        body.append(ast.Expr(call("self.progress.finish")))
    return ast.AsyncFunctionDef("run", _input_argument(), suite(body), [attr("workflow.run")], name("Any"))


def _progress_query() -> ast.FunctionDef:
    """The built-in query every workflow answers: current phase and per-node status."""
    arguments = ast.arguments([], [ast.arg("self")], None, [], [], None, [])
    body = [ast.Return(call("self.progress.snapshot"))]
    decorator = call("workflow.query", name=ast.Constant("progress"))
    return ast.FunctionDef("query_progress", arguments, body, [decorator], name("dict"))
