"""The compile pipeline: validate -> lower -> emit, for one workflow or a project.

`compile_graph` never raises for a graph: every problem comes back as a
Diagnostic and the result has no source when any of them is an error.
Lowering and emitting only run on graphs that validated cleanly, so a user
sees the validator's precise messages first and each problem once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

from compiler.activities.registry import ActivitySpec
from compiler.diagnostics import Diagnostic, error, has_errors
from compiler.emit.module import TOO_DEEP, class_name_for, emit, module_name_for
from compiler.gc_pause import gc_paused
from compiler.ir import Graph
from compiler.lower import lower


@dataclass(frozen=True)
class CompileResult:
    """One workflow's module (None when there are errors) and everything said about it."""

    source: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    class_name: str = ""
    module_name: str = ""

    @property
    def ok(self) -> bool:
        return self.source is not None


@gc_paused()
def compile_graph(
    graph: Graph,
    *,
    project_graphs: Mapping[str, Graph] | None = None,
    activities: Mapping[str, ActivitySpec] | None = None,
    mcp_servers: Collection[str] | None = None,
) -> CompileResult:
    """Validate, lower and emit one workflow graph."""
    names = {"class_name": class_name_for(graph.identifier), "module_name": module_name_for(graph.identifier)}
    diagnostics = _validate(graph, project_graphs, activities, mcp_servers)
    if has_errors(diagnostics):
        return CompileResult(None, diagnostics, **names)
    try:
        tree, lowered = lower(graph)
        diagnostics += lowered
        if tree is None or has_errors(diagnostics):
            return CompileResult(None, diagnostics, **names)
        emitted = emit(tree)
    except RecursionError:
        diagnostics.append(error(TOO_DEEP))
        return CompileResult(None, diagnostics, **names)
    diagnostics += emitted.diagnostics
    return CompileResult(None if has_errors(diagnostics) else emitted.source, diagnostics, **names)


def compile_graphs(
    graphs: Mapping[str, Graph],
    *,
    activities: Mapping[str, ActivitySpec] | None = None,
    mcp_servers: Collection[str] | None = None,
) -> dict[str, CompileResult]:
    """Every workflow of a project by identifier; child and signal targets are checked across `graphs`.

    `compiler.project_reader.compile_project` reads the graphs, activities
    and servers of a project from the database and settings and calls this.
    """
    results = {
        identifier: compile_graph(
            graphs[identifier], project_graphs=graphs, activities=activities, mcp_servers=mcp_servers
        )
        for identifier in sorted(graphs)
    }
    return _refuse_shared_modules(results)


def _refuse_shared_modules(results: dict[str, CompileResult]) -> dict[str, CompileResult]:
    """An error for each workflow whose module name an earlier one already has (`a-b` and `a_b`).

    Workflows cannot be created that way any more (workflows.models.identifier_clash);
    this keeps older projects from deploying one module over the other.
    """
    first_with: dict[str, str] = {}
    for identifier, result in results.items():
        first = first_with.setdefault(result.module_name, identifier)
        if first != identifier:
            message = (
                f"workflow {identifier!r} would get the same Python module ({result.module_name}) as {first!r}; "
                "rename one of them (identifiers that differ only in '-' and '_' clash)"
            )
            results[identifier] = replace(result, source=None, diagnostics=[*result.diagnostics, error(message)])
    return results


def _validate(
    graph: Graph,
    project_graphs: Mapping[str, Graph] | None,
    activities: Mapping[str, ActivitySpec] | None,
    mcp_servers: Collection[str] | None,
) -> list[Diagnostic]:
    """The validator's diagnostics, sorted errors first (stable for the same graph)."""
    from compiler.validate.graph import validate

    return list(validate(graph, project_graphs=project_graphs, activities=activities, mcp_servers=mcp_servers))
