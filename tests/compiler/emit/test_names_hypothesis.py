"""Random workflow identifiers and node keys: no generated name means two things, none hides an import.

Each example compiles one graph with nested retry blocks, a loop that
continues as new, spawners (one with a retry block among its on_complete
steps), signal handlers and queries, all named from random identifiers and
keys built of the words generated names are made of (`retry`, `spawn`,
`on-complete`, `iterations`, imported names such as `children`...), so
that clashes are likely. The generated module's AST is then checked.
"""

from __future__ import annotations

import ast
import builtins
from collections import defaultdict

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from compiler.emit.support import RUN_LOCALS
from compiler.ir import Graph, IREdge, IRNode
from compiler.pipeline import compile_graph
from workflows.identifiers import identifier_problem

WORDS = [
    "a", "fix", "retry", "spawn", "on", "complete", "iterations", "started", "item", "key", "child", "children",
    "progress", "workflow", "state", "block", "any", "type", "error", "none", "true", "up", "to", "3", "attempts",
    "failure", "dependency", "order", "policy", "first", "completed", "input", "len", "query", "run", "init",
]  # fmt: skip


# Keys of the graph's fixed nodes.
RESERVED_KEYS = {"start", "count", "on-signal", "a-query"}


def _joined(parts: list[str], joins: list[str]) -> str:
    return "".join(part + join for part, join in zip(parts[:-1], joins, strict=False)) + parts[-1]


@st.composite
def slug(draw, max_words: int = 4) -> str:
    parts = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=max_words))
    joins = draw(st.lists(st.sampled_from("-_"), min_size=len(parts) - 1, max_size=len(parts) - 1))
    return _joined(parts, joins)


@st.composite
def node_keys(draw, count: int = 9) -> list[str]:
    """`count` distinct keys, some of them an earlier key with `-` and `_` swapped (`fix-a`, `fix_a`)."""
    keys: list[str] = []
    while len(keys) < count:
        key = draw(slug(3))
        if keys and draw(st.booleans()):
            key = draw(st.sampled_from(keys)).translate(str.maketrans("-_", "_-"))
        if key not in keys and key not in RESERVED_KEYS:
            keys.append(key)
    return keys


def _activity(key: str, parent: str, slot: str = "body") -> IRNode:
    config = {"activity": "act", "args": {"n": "1"}, "retry": {"max_attempts": 1}}
    return IRNode(key, "activity", key, config, parent=parent, slot=slot)


def _retry(key: str, parent: str | None, slot: str = "body") -> IRNode:
    return IRNode(key, "retry_block", key, {"max_attempts": 2}, parent=parent, slot=slot)


def _spawner(key: str, parent: str | None) -> IRNode:
    config = {
        "items": "[1, 2]",
        "workflow": "child-wf",
        "item_key": "str(item)",
        "input": "{'n': item}",
        "max_concurrency": "2",
        "on_failure": "continue",
    }
    return IRNode(key, "spawner", key, config, parent=parent)


def _graph(identifier: str, keys: list[str], signal: str, query: str) -> Graph:
    outer, inner, loop, spawner, on_complete_retry, spawner_2, step_1, step_2, step_3 = keys
    loop_config = {"while_expression": "True", "continue_as_new_iterations": 3, "continue_as_new_seconds": 60}
    nodes = (
        IRNode("start", "start", "Start"),
        _retry(outer, None),
        _retry(inner, outer),
        _activity(step_1, inner),
        _activity(step_2, outer, "remediation"),
        IRNode(loop, "loop", loop, loop_config),
        _spawner(spawner, loop),
        _retry(on_complete_retry, spawner, "on_complete"),
        _activity(step_3, on_complete_retry),
        _spawner(spawner_2, None),
        IRNode("count", "state", "Count", {"name": "count", "type": "int", "initial": 0}),
        IRNode(
            "on-signal", "signal_handler", "S", {"signal": signal, "actions": [{"op": "increment", "var": "count"}]}
        ),
        IRNode("a-query", "query", "Q", {"name": query, "expression": "count"}),
    )
    edges = (IREdge("start", outer), IREdge(outer, spawner_2), IREdge(spawner_2, loop))
    return Graph(identifier, nodes=nodes, edges=edges)


CHILD = Graph("child-wf", nodes=(IRNode("start", "start", "Start"),))


# No shrinking phase: a failing example is reported as found (shrinking one took minutes).
@settings(
    max_examples=200,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.large_base_example],
)
@given(
    identifier=slug().filter(lambda text: identifier_problem(text) is None and text != "child-wf"),
    keys=node_keys(),
    signal=slug(2).map(lambda text: text.replace("-", "_")).filter(lambda text: text[0].isalpha()),
    query=slug(2)
    .map(lambda text: text.replace("-", "_"))
    .filter(lambda text: text[0].isalpha() and text != "progress"),
)
def test_no_generated_name_collides(identifier, keys, signal, query):
    graph = _graph(identifier, keys, signal, query)
    result = compile_graph(graph, project_graphs={identifier: graph, "child-wf": CHILD})
    assert result.source is not None, [d.line() for d in result.diagnostics if d.is_error]
    module = ast.parse(result.source)

    imported = {alias.asname or alias.name for s in module.body if isinstance(s, ast.ImportFrom) for alias in s.names}
    bindings = _bindings(module)
    for scope, names in bindings.items():
        shadowing = imported & set(names)
        assert not shadowing, f"{scope} binds imported names {shadowing}"
        hidden = (set(names) & set(dir(builtins))) - set(RUN_LOCALS)
        assert not hidden, f"{scope} hides builtins {hidden}"
        for name, owners in names.items():
            if name not in RUN_LOCALS:
                assert len(owners) == 1, f"{scope}: {name} is bound for {sorted(owners, key=str)}"
    run_names = set(bindings["run"])
    for scope, names in bindings.items():
        if scope.startswith("run."):
            assert not (set(names) & run_names) - set(RUN_LOCALS), f"{scope} hides locals of run"
    assert result.class_name not in imported
    assert result.class_name == _workflow_class(module)


def _bindings(module: ast.Module) -> dict[str, dict[str, set]]:
    """Names bound in each scope (module, class, each function by dotted name), each with what it is bound for.

    What a name is bound for: the key of the innermost `with self.progress.step(<key>)` around
    the binding (a retry block's variable belongs to its block), or the scope's own definition
    (a class, a constant, a method) for module and class bodies, which must bind each name once.
    """
    scopes: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))

    def visit(node: ast.AST, scope: str, owner: object) -> None:
        for child in ast.iter_child_nodes(node):
            inner_owner = _step_key(child) or owner
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                scopes[scope][child.name].add(owner if scope.startswith("run") else id(child))
                inner = child.name if scope in ("module", "class") else f"{scope}.{child.name}"
                inner = "class" if isinstance(child, ast.ClassDef) and scope == "module" else inner
                if isinstance(child, ast.ClassDef) and child.name != _workflow_class(module):
                    continue  # the state dataclass: its fields are attributes, not names
                if not isinstance(child, ast.ClassDef):
                    for argument in child.args.args:
                        scopes[inner][argument.arg].add(None)
                visit(child, inner, None)
                continue
            if isinstance(child, (ast.Lambda, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
                continue  # their own small scopes, with fixed names only
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                scopes[scope][child.id].add(inner_owner if scope not in ("module",) else id(child))
            if isinstance(child, ast.ExceptHandler) and child.name:
                scopes[scope][child.name].add(inner_owner)
            visit(child, scope, inner_owner)

    visit(module, "module", None)
    return scopes


def _step_key(node: ast.AST) -> str | None:
    """`<key>` of `with self.progress.step(<key>):`, else None."""
    if not isinstance(node, ast.With):
        return None
    call = node.items[0].context_expr
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "step":
        return call.args[0].value
    return None


def _workflow_class(module: ast.Module) -> str:
    """The class under `@workflow.defn(...)`."""
    return next(
        statement.name
        for statement in module.body
        if isinstance(statement, ast.ClassDef) and isinstance(statement.decorator_list[0], ast.Call)
    )
