"""What the emitter's passes share: names, checked expressions, literals, comments.

`EmitContext` is the only way user text enters the generated module:
- expressions go through `compiler.expressions.language.check_expression` and are
  inlined as checked trees (`expression()`);
- JSON values (initial state, input defaults) become literal trees
  (`literal()`);
- labels, names and descriptions become `ast.Constant` strings or comment
  lines (`comment()`), which compiler/emit/layout.py sanitises.
Problems are collected as Diagnostics; the placeholder returned in their
place is never shipped, because the pipeline drops the source on errors.
"""

from __future__ import annotations

import ast
import functools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from compiler.diagnostics import Diagnostic, error
from compiler.emit.names import Names
from compiler.emit.retry import RetryPolicies
from compiler.expressions.language import check_expression, check_identifier, inline_expression
from compiler.ir import IRNode
from compiler.tree import WorkflowTree
from vocabulary import SPAWN_COMPLETION_NAMES
from workflows.node_types import NODE_TYPES

COMMENT_PREFIX = "__comment_"
# Lists and objects nested deeper than this in a JSON value (initial state, input defaults) are refused:
# as deep as the input checks allow (workflows/input_checks.py), far below Python's 200 nested brackets.
MAX_LITERAL_DEPTH = 64
# Locals of `run` with one meaning wherever they appear: its arguments, the missing input
# fields, a spawner's items, keys, children and on_complete arguments, a caught failure.
RUN_LOCALS = ("self", "input", "missing", "key", "ready", "child", *SPAWN_COMPLETION_NAMES, "failure")


def config_of(node: IRNode) -> dict[str, Any]:
    """The node's config with the node type's defaults filled in (hand-built graphs omit them).

    Asked of the registry each time, not cached by type name: a type registered again under the same
    name (a test's, a plugin's) must not get the old type's defaults, and a config has a few fields.
    """
    spec = NODE_TYPES.get(node.type)
    return {**spec.defaults(), **node.config} if spec else dict(node.config)


def name(identifier: str) -> ast.Name:
    return ast.Name(identifier, ast.Load())


@functools.lru_cache(maxsize=1024)
def attr(dotted: str) -> ast.expr:
    """`a.b.c` as an attribute chain; only for names the compiler chose.

    The same tree each time for the same text: the emitter never changes a
    tree once built, and shared nodes print as each place asks.
    """
    first, *rest = dotted.split(".")
    tree: ast.expr = name(first)
    for part in rest:
        tree = ast.Attribute(tree, part, ast.Load())
    return tree


def call(func: str | ast.expr, *args: ast.expr, **keywords: ast.expr) -> ast.Call:
    target = attr(func) if isinstance(func, str) else func
    return ast.Call(target, list(args), [ast.keyword(key, value) for key, value in keywords.items()])


def python_name(text: str, *, camel: bool = False) -> str:
    """A Python identifier derived from a slug: `package-build` -> package_build / PackageBuild."""
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", text) if part]
    if camel:
        result = "".join(part[:1].upper() + part[1:] for part in parts)
        return result if result[:1].isalpha() else "Workflow" + result
    result = "_".join(parts).lower()
    return result if result[:1].isalpha() else "wf_" + result


class EmitContext:
    """Per-workflow state of the emitter."""

    def __init__(self, tree: WorkflowTree, names: Names, emitters: Mapping[str, Callable]) -> None:
        self.tree = tree
        # The emit function of each node type (compiler/emit/registry.py); compiler/emit/flow.py dispatches with it.
        self.emitters = emitters
        # Every name the emitters make up comes from here (compiler/emit/names.py): module-level
        # ones from `module_names`, the locals of `run` (nested functions included) from `run_locals`.
        self.module_names = names
        self.run_locals = names.scope(fixed=RUN_LOCALS)
        self.diagnostics: list[Diagnostic] = []
        self.comments: list[str] = []
        self.functions: set[str] = set()
        self.uses: set[str] = set()
        self.state_types: dict[str, str] = {}
        for node in tree.states:
            config = config_of(node)
            if self.identifier(node, "name", config.get("name")):
                self.state_types.setdefault(config["name"], config.get("type", "any"))
        for variable, node in tree.variables:
            if self.identifier(node, NODE_TYPES[node.type].result_field, variable):
                self.state_types.setdefault(variable, "any")
        self.names = frozenset({"input", *self.state_types})
        self.tracked = frozenset(tree.tracked)  # keys the progress query reports (a set, for lookups per step)
        # Known names per set of local names: one union each, not one per expression (that was quadratic).
        self._known_names: dict[frozenset[str], frozenset[str]] = {frozenset(): self.names}
        self.locals: dict[str, ast.expr] = {}
        # Names bound by `binding()`, innermost last, each with the set of them that expressions read.
        self._bindings: list[tuple[frozenset[str], set[str]]] = []
        # How many loop / retry / spawner slots enclose the code being emitted.
        self.repeating = 0
        self.retry_policies = RetryPolicies(names)

    @contextmanager
    def scope(self, names: Mapping[str, ast.expr]) -> Iterator[None]:
        """Names a container defines for the expressions inside it (a spawner's `item`, a retry's `attempt`).

        Every container with a scope (loop, retry_block, spawner) may run its
        slot more than once, so activities inside get counted ids (`activity_id()`).
        """
        outer = self.locals
        self.locals = {**outer, **names}
        self.repeating += 1
        try:
            yield
        finally:
            self.locals = outer
            self.repeating -= 1

    @contextmanager
    def binding(self, names: Mapping[str, ast.expr]) -> Iterator[set[str]]:
        """Names for the statements emitted inside (an error path's `error`), which do not repeat.

        Yields the set of these names that expressions inside read, so the
        caller sets up only what is read: a graph that never reads `error`
        compiles as it did before there was one.
        """
        outer = self.locals
        self.locals = {**outer, **names}
        used: set[str] = set()
        self._bindings.append((frozenset(names), used))
        try:
            yield used
        finally:
            self.locals = outer
            self._bindings.pop()

    def activity_id(self, node: IRNode) -> ast.expr:
        """The node key, or `self.progress.activity_id(key)` (`<key>-<n>`) where the step may repeat."""
        if self.repeating:
            return call("self.progress.activity_id", ast.Constant(node.key))
        return ast.Constant(node.key)

    def fail(self, message: str, node: IRNode | None = None, field: str | None = None, **extra) -> None:
        self.diagnostics.append(error(message, node=node.key if node else None, field=field, **extra))

    def identifier(self, node: IRNode, field: str, value: Any) -> bool:
        """Whether `value` can be used as a variable name in generated code (reports if not)."""
        problem = check_identifier(value) if isinstance(value, str) else f"{field} must be text"
        if problem:
            self.fail(problem, node, field)
        return problem is None

    def target(self, variable: str) -> ast.expr:
        """Where a state or result variable lives: `self.state.<name>`."""
        return ast.Attribute(attr("self.state"), variable, ast.Load())

    def resolve(self, variable: str) -> ast.expr:
        return attr("self.input") if variable == "input" else self.target(variable)

    def expression(
        self, node: IRNode, field: str, source: Any, *, local: Mapping[str, ast.expr] | None = None
    ) -> ast.expr:
        """A checked expression inlined with names resolved; a placeholder after reporting errors.

        `local` maps names available only here (e.g. a signal's `payload`)
        to the code that reads them; names of the enclosing `scope()` apply too.
        """
        local = {**self.locals, **(local or {})}
        if not isinstance(source, str):
            source = repr(source) if isinstance(source, (int, float)) and not isinstance(source, bool) else source
        if not isinstance(source, str):
            self.fail(f"{field}: expression must be text", node, field)
            return ast.Constant(None)
        local_names = frozenset(local)
        if local_names not in self._known_names:
            self._known_names[local_names] = self.names | local_names
        checked = check_expression(source, known_names=self._known_names[local_names])
        if not checked.ok:
            for problem in checked.errors:
                self.fail(f"{field}: {problem.message}", node, field, hint=problem.hint, column=problem.column)
            return ast.Constant(None)
        self.functions |= checked.functions
        for found in checked.names & local.keys():
            bound = next((used for names, used in reversed(self._bindings) if found in names), None)
            if bound is not None:
                bound.add(found)
        return inline_expression(checked, lambda found: local[found] if found in local else self.resolve(found))

    def literal(self, node: IRNode, field: str, value: Any, depth: int = 0) -> ast.expr:
        """A JSON value as a literal tree (strings stay constants, never code).

        Lists and objects nested more than MAX_LITERAL_DEPTH levels are
        refused here, whatever the validator let through: printed, they would
        pass Python's limit of nested brackets and fail the compile check.
        """
        if value is None or isinstance(value, (bool, int, str)):
            return ast.Constant(value)
        if isinstance(value, (list, dict)) and depth >= MAX_LITERAL_DEPTH:
            message = f"{field}: the value is nested more than {MAX_LITERAL_DEPTH} levels deep; flatten it"
            self.fail(message, node, field)
        elif isinstance(value, float):
            if math.isfinite(value):
                return ast.Constant(value)
            self.fail(f"{field}: {value} is not a JSON number", node, field)
        elif isinstance(value, list):
            return ast.List([self.literal(node, field, item, depth + 1) for item in value], ast.Load())
        elif isinstance(value, dict):
            if all(isinstance(key, str) for key in value):
                items = list(value.items())
                keys = [ast.Constant(key) for key, _ in items]
                return ast.Dict(keys, [self.literal(node, field, item, depth + 1) for _, item in items])
            self.fail(f"{field}: object keys must be text", node, field)
        else:
            self.fail(f"{field}: {type(value).__name__} values are not JSON", node, field)
        return ast.Constant(None)

    def number(self, node: IRNode, field: str, value: Any) -> ast.Constant:
        """A config number (seconds, attempts); whole floats print as ints."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(f"{field} must be a number", node, field)
            return ast.Constant(0)
        return ast.Constant(int(value) if float(value).is_integer() else value)

    def seconds(self, node: IRNode, field: str, value: Any) -> ast.expr:
        self.uses.add("timedelta")
        return call("timedelta", seconds=self.number(node, field, value))

    def comment(self, text: str) -> ast.stmt:
        """A marker statement that emit_layout turns into a `# text` line."""
        self.comments.append(text)
        return ast.Expr(name(f"{COMMENT_PREFIX}{len(self.comments) - 1}__"))

    def label(self, node: IRNode) -> ast.stmt:
        """The comment above a step: its label (and its key, which activity ids and progress use)."""
        label = node.label.strip() if isinstance(node.label, str) else ""
        return self.comment(f"{label} [{node.key}]" if label and label != node.key else f"[{node.key}]")

    def step(self, node: IRNode, statements: list[ast.stmt]) -> list[ast.stmt]:
        """A node's statements under its label comment, inside `with self.progress.step("<key>"):`."""
        tracker = call("self.progress.step", ast.Constant(node.key))
        return [self.label(node), ast.With([ast.withitem(tracker)], statements)]
