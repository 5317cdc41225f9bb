"""Small builders for hand-made graphs in the validation tests."""

from __future__ import annotations

from compiler.activities.registry import ActivitySpec, ArgSpec
from compiler.diagnostics import Diagnostic
from compiler.ir import Graph, IREdge, IRNode


def n(key: str, type_: str, parent: str | None = None, slot: str = "body", **config) -> IRNode:
    return IRNode(key=key, type=type_, label=key.title(), config=config, parent=parent, slot=slot)


def e(source: str, target: str, kind: str = "next") -> IREdge:
    return IREdge(source, target, kind)


def chain(*keys: str) -> list[IREdge]:
    return [IREdge(a, b) for a, b in zip(keys, keys[1:], strict=False)]


def graph(*nodes: IRNode, edges=(), identifier: str = "wf") -> Graph:
    return Graph(identifier=identifier, name=identifier, nodes=tuple(nodes), edges=tuple(edges))


def flow(*steps: IRNode, extra=(), edges=(), identifier: str = "wf") -> Graph:
    """start -> steps... (top-level ones in order) plus extra nodes and edges."""
    top = [step.key for step in steps if step.parent is None]
    return graph(n("start", "start"), *steps, *extra, edges=[*chain("start", *top), *edges], identifier=identifier)


def spec(name: str, *args: ArgSpec) -> ActivitySpec:
    return ActivitySpec(name=name, description="", args=list(args), fn=None, temporal_activity=None)


ACTIVITIES = {
    "fetch": spec("fetch", ArgSpec("url", "str", True), ArgSpec("timeout", "float", False, 10.0)),
    "publish": spec("publish", ArgSpec("package", "str", True)),
    "agent": spec("agent", ArgSpec("prompt", "str", True)),
    "signal_with_start": spec("signal_with_start", ArgSpec("workflow_id", "str", True)),
}


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]


def only(diagnostics: list[Diagnostic], severity: str = "error") -> Diagnostic:
    """The single diagnostic of that severity (the test graph has exactly one problem)."""
    found = [d for d in diagnostics if d.severity.value == severity]
    assert len(found) == 1, [d.line() for d in diagnostics]
    return found[0]
