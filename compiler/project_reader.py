"""The one module that reads the database (and the settings beside it) into the pure passes.

`compiler.ir`, validation, lowering and emitting work on plain dataclasses
so they can be tested with hand-built graphs; everything that needs the ORM
or `settings` to get those inputs lives here. `load()` reads a workflow in
two queries whatever its size; `load_project()` reads every workflow of a
project in three; `compile_project()` adds the configured activities and the
project's MCP servers and hands it all to `compiler.pipeline`.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings

from compiler.activities.loading import load_configured_activities
from compiler.activities.mcp_access import available_to
from compiler.ir import Graph, build_graph
from compiler.pipeline import CompileResult, compile_graphs
from workflows.models import Edge, Node

NODE_FIELDS = ("workflow_id", "key", "type", "label", "config", "parent__key", "slot", "position")
EDGE_FIELDS = ("workflow_id", "source__key", "target__key", "kind")


def load(workflow) -> Graph:
    """The graph of one `workflows.models.Workflow` (two queries)."""
    return build_graph(
        workflow.identifier,
        workflow.name,
        workflow.description,
        workflow.nodes.values(*NODE_FIELDS),
        workflow.edges.values(*EDGE_FIELDS),
    )


def load_project(project) -> dict[str, Graph]:
    """Every workflow of a project by identifier (three queries)."""
    workflows = list(project.workflows.all())
    nodes: dict[int, list] = defaultdict(list)
    edges: dict[int, list] = defaultdict(list)
    for row in Node.objects.filter(workflow__project=project).values(*NODE_FIELDS):
        nodes[row["workflow_id"]].append(row)
    for row in Edge.objects.filter(workflow__project=project).values(*EDGE_FIELDS):
        edges[row["workflow_id"]].append(row)
    return {w.identifier: build_graph(w.identifier, w.name, w.description, nodes[w.pk], edges[w.pk]) for w in workflows}


def compile_project(project) -> dict[str, CompileResult]:
    """Every workflow of a project by identifier; child and signal targets are checked across it."""
    activities = {spec.name: spec for spec in load_configured_activities()}
    return compile_graphs(load_project(project), activities=activities, mcp_servers=project_mcp_servers(project))


def project_mcp_servers(project) -> list[str]:
    """The names of the MCP servers (setting MCP_SERVERS) the project's workflows may use."""
    return sorted(available_to(settings.MCP_SERVERS, project.slug))
