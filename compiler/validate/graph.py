"""validate(graph) -> every diagnostic a workflow graph can need; never raises.

The database already refuses some broken graphs (cross-container edges, bad
edge kinds, invalid configs), but graphs built in memory (tests, importers,
the editor's preview) can hold anything, so every rule is checked here again
and reported as a Diagnostic pinned to a node, a config field or an edge.

Structure (compiler/validate/structure.py):
- Placement: a node's parent must exist and be a container, its slot one of
  the container's slots (top level: "body"), and containers cannot contain
  themselves. Nodes inside a broken container chain are left out of the flow
  checks (the broken link is reported once).
- Declarations (state, signal_handler, query) sit at the top level and have
  no edges.
- Edges: both ends exist, the kind is known, no self-loops, no declaration
  at either end, both ends in the same container slot; such edges are
  reported and then ignored. A kind the source type does not allow (an
  `error` edge from a node that cannot fail, anything out of an end) is
  reported, but the edge still counts for reachability so its target is
  not reported a second time as unreachable.
- Each container slot has exactly one entry (flow node without incoming
  edges); the top level's entry is the start.
- Unreachable: a flow node no path reaches from its slot's entry (any edge
  kind counts, error edges included). Only the outermost unreachable node is
  reported; what is inside it is not.
- Branching: a node has at most one edge of each kind (one `next`: no
  implicit parallelism; one `error`; a condition's one `true` and one
  `false`); the extra edges are named.
- Cycles: edges within a slot must not form a cycle (repetition needs a loop
  container); each region of steps that cycles block is reported with one
  cycle, naming the edge leading back to the cycle's earliest node.
- Dead ends, precisely: a flow node has "a way forward" if it has a `next`
  edge (a condition has its branches; `error` edges only run on failure).
  Inside a container slot a node without a way forward is a last node of the
  slot: the container is done there and flow continues after it, so it is
  never a dead end. At the top level such a node ends the workflow with the
  result None, which is fine when it is the only place the workflow can
  finish; when the top level can finish in two or more places (end nodes or
  other nodes without a way forward), every non-end one is reported as a
  dead end (warning), since a branch that just stops is usually a forgotten
  edge.
- Among a spawner's on_complete steps, at any depth, no end node and no
  other spawner (compiler/validate/on_complete.py).

Node types' own rules (`NodeType.graph_checks`, run by
compiler/validate/type_rules.py): exactly one `start`, at the top level; a
condition has both a `true` and a `false` edge; a state variable, signal,
query or update is declared once; no query is named `progress` (built in);
a retry block whose exhaustion should follow an error edge has one; a
phase or retry_block with an empty body gets a warning, an empty loop too,
or an error without `wait_for` (it would spin without ever waiting); no
step stands in a parallel node's branch beyond its count, and a branch that
runs has steps (a warning).

Contents (the other validate_*.py modules):
- Config: `NODE_TYPES[type].clean_config` is re-run; each field error becomes
  a diagnostic (expression fields are reported by the expression checks
  instead, with a column).
- Expressions in every expression field of every node type, with the names
  known at that point (see compiler/validate/names.py and `known_names_for`).
- Declarations: reserved or clashing variable names, signal handler
  actions on undeclared or wrongly typed state.
- References: unknown activity or argument, missing required argument (when
  `activities` is given); unknown child / spawner / signal-with-start
  workflow and unhandled signals (when `project_graphs` is given); a child
  workflow or spawner that starts its own workflow (warning); the cron of a
  start node in words (info).
- MCP servers of `mcp_call` and agent nodes the project may not use (when
  `mcp_servers` is given; compiler/validate/mcp.py).
- Dependency cycles in static items (compiler/validate/dependencies.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from compiler.diagnostics import Diagnostic, Severity, error
from compiler.expressions.allow_list import ExpressionError
from compiler.ir import Graph, IRNode
from compiler.validate.concurrent import check_parallel
from compiler.validate.declarations import check_declarations
from compiler.validate.dependencies import check_static_dependencies
from compiler.validate.mcp import check_mcp_servers
from compiler.validate.names import ExpressionChecker, checked_by_expressions, scope_of
from compiler.validate.on_complete import check_on_complete
from compiler.validate.references import (
    check_activities,
    check_schedules,
    check_workflow_references,
)
from compiler.validate.structure import Structure
from compiler.validate.type_rules import check_type_rules
from workflows.node_types import NODE_TYPES
from workflows.node_types.placement import with_article

if TYPE_CHECKING:
    from compiler.activities.registry import ActivitySpec

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def validate(
    graph: Graph,
    *,
    project_graphs: Mapping[str, Graph] | None = None,
    activities: Mapping[str, ActivitySpec] | None = None,
    mcp_servers: Collection[str] | None = None,
) -> list[Diagnostic]:
    """Diagnostics sorted deterministically (by node key / edge, then message).

    Never raises on any graph the database can hold.

    `activities` maps activity name -> ActivitySpec (None skips activity
    checks); `project_graphs` maps identifier -> Graph of every workflow of the
    project (None skips cross-workflow checks); `mcp_servers` names the MCP
    servers the project may use (None skips the check).
    """
    nodes, diagnostics = _unique_nodes(graph)
    configs = _clean_configs(nodes, diagnostics)
    structure = Structure(nodes, graph.edges)
    diagnostics += structure.check()
    diagnostics += check_type_rules(nodes, configs, structure)
    diagnostics += check_on_complete(nodes)
    diagnostics += check_parallel(nodes)
    checker = ExpressionChecker(scope_of(graph))
    for node in nodes:
        diagnostics += checker.node_diagnostics(node, configs[node.key])
    diagnostics += check_declarations(nodes, configs)
    diagnostics += check_static_dependencies(nodes, configs)
    diagnostics += check_workflow_references(graph, nodes, configs, project_graphs)
    diagnostics += check_schedules(nodes, configs)
    if activities is not None:
        diagnostics += check_activities(nodes, configs, activities)
    if mcp_servers is not None:
        diagnostics += check_mcp_servers(nodes, configs, mcp_servers)
    return sorted(set(diagnostics), key=_sort_key)


def known_names_for(graph: Graph, node: IRNode, field: str | None = None) -> frozenset[str]:
    """The names an expression in `node` may use; with `field`, also the per-item `item` where it applies.

    The emitter resolves names with this same rule. Repeated calls for the
    same graph reuse one scope, so asking for every node stays linear.
    """
    return scope_of(graph).names_for(node, field)


def expression_problems_for(graph: Graph, node: IRNode, field: str | None, source: str) -> tuple[ExpressionError, ...]:
    """What the validator would report for `source` in `field` of `node` (the editor's inline check)."""
    scope = scope_of(graph)
    return scope.problems(source, scope.names_for(node, field))


def expression_suggestions_for(graph: Graph, node: IRNode, field: str | None) -> list[str]:
    """The names and functions an expression in `field` of `node` may use (the editor's autocomplete)."""
    return scope_of(graph).suggestions(node, field)


def _sort_key(diagnostic: Diagnostic) -> tuple:
    return (
        diagnostic.node or diagnostic.edge or "",
        diagnostic.edge or "",
        diagnostic.field or "",
        diagnostic.column or 0,
        _SEVERITY_ORDER[diagnostic.severity],
        diagnostic.message,
        diagnostic.hint,
    )


def _unique_nodes(graph: Graph) -> tuple[list[IRNode], list[Diagnostic]]:
    """One node per key (the one `graph.by_key` holds); a key used twice is an error."""
    by_key = graph.by_key
    diagnostics = [
        error(f"Two nodes have the key '{node.key}'", node=node.key, hint="give every node its own key")
        for node in graph.nodes
        if by_key[node.key] is not node
    ]
    return [node for node in graph.nodes if by_key[node.key] is node], diagnostics


def _clean_configs(nodes: list[IRNode], diagnostics: list[Diagnostic]) -> dict[str, dict]:
    """Each node's config as its type cleans it (defaults filled in, bad fields left out)."""
    configs: dict[str, dict] = {}
    for node in nodes:
        node_type = NODE_TYPES.get(node.type)
        configs[node.key] = {}
        if node_type is None:
            diagnostics.append(
                error(
                    f"Unknown node type '{node.type}'",
                    node=node.key,
                    field="type",
                    hint=f"known types: {', '.join(sorted(NODE_TYPES))}",
                )
            )
            continue
        if isinstance(node.config, dict) and not all(isinstance(name, str) for name in node.config):
            diagnostics.append(error("Config keys must be text", node=node.key, hint="name each setting"))
            continue
        configs[node.key], errors = node_type.clean_config(node.config)
        raw = node.config if isinstance(node.config, dict) else {}
        for name, messages in sorted(errors.items()):
            spec = node_type.field(name)
            if spec is not None and checked_by_expressions(spec.kind, raw.get(name)):
                continue
            if name == "config":
                subject, hint = "The config", "replace it with an object of settings"
            elif spec is None:
                subject, hint = f"'{name}'", "remove this setting"
            else:
                subject, hint = spec.title, spec.help or f"fix this setting of {with_article(node_type.title)} node"
            # A field's first message is its own problem; a cross-field one after it would only repeat it.
            diagnostics.append(error(f"{subject} {messages[0]}", node=node.key, field=name, hint=hint))
    return configs
