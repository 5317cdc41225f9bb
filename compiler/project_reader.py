"""The one module that reads the database (and the settings beside it) into the pure passes.

`compiler.ir`, validation, lowering and emitting work on plain dataclasses
so they can be tested with hand-built graphs; everything that needs the ORM
or `settings` to get those inputs lives here. `load()` reads a workflow in
two queries whatever its size; `load_project()` reads every workflow of a
project in three (`load_drafts()` with the revision each draft is);
`compile_project()` adds the configured activities and the project's MCP
servers and hands it all to `compiler.pipeline`.

A build stores the workflow document each of its workflows was compiled
from (`compiler.models.BuildGraph`); `graphs_of_build()` and `graph_in_build()`
read those back, so everything about a run uses the graph of its build, not
the draft being edited. `graph_document()` and `graph_from_document()` are
the two directions between a graph and its document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from compiler.activities.loading import load_configured_activities
from compiler.activities.mcp_access import available_to
from compiler.ir import Graph, build_graph
from compiler.models import BuildGraph, Deployment
from compiler.pipeline import CompileResult, compile_graphs
from workflows.documents import FORMAT
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


@dataclass(frozen=True)
class Draft:
    """A workflow's graph as it is being edited, and which revision that is (its version)."""

    workflow_id: int
    version: int
    graph: Graph


def load_drafts(project) -> dict[str, Draft]:
    """Every workflow of a project by identifier, with its version (three queries)."""
    workflows = list(project.workflows.all())
    nodes: dict[int, list] = defaultdict(list)
    edges: dict[int, list] = defaultdict(list)
    for row in Node.objects.filter(workflow__project=project).values(*NODE_FIELDS):
        nodes[row["workflow_id"]].append(row)
    for row in Edge.objects.filter(workflow__project=project).values(*EDGE_FIELDS):
        edges[row["workflow_id"]].append(row)
    return {
        w.identifier: Draft(w.pk, w.version, build_graph(w.identifier, w.name, w.description, nodes[w.pk], edges[w.pk]))
        for w in workflows
    }


def load_project(project) -> dict[str, Graph]:
    """Every workflow of a project by identifier (three queries)."""
    return {identifier: draft.graph for identifier, draft in load_drafts(project).items()}


def compile_project(project, graphs: Mapping[str, Graph] | None = None) -> dict[str, CompileResult]:
    """Every workflow by identifier; child and signal targets are checked across the same set.

    `graphs` defaults to the project's drafts; a deploy passes the set of
    revisions it is choosing, so references are checked against what ships.
    """
    activities = {spec.name: spec for spec in load_configured_activities()}
    graphs = load_project(project) if graphs is None else graphs
    return compile_graphs(graphs, activities=activities, mcp_servers=project_mcp_servers(project))


def graph_document(graph: Graph) -> dict:
    """The workflow JSON document (workflows/documents.py) of an already loaded graph."""
    return {
        "format": FORMAT,
        "identifier": graph.identifier,
        "name": graph.name,
        "description": graph.description,
        "nodes": [
            {
                "key": n.key,
                "type": n.type,
                "label": n.label,
                "config": n.config,
                "parent": n.parent,
                "slot": n.slot,
                "position": n.position,
            }
            for n in graph.nodes
        ],
        "edges": [{"source": e.source, "target": e.target, "kind": e.kind} for e in graph.edges],
    }


def graph_from_document(document: dict) -> Graph:
    """The graph a stored document describes (documents stored by a deploy were checked when written)."""
    nodes = [
        {
            "key": n["key"],
            "type": n["type"],
            "label": n.get("label", ""),
            "config": n.get("config") or {},
            "parent__key": n.get("parent"),
            "slot": n.get("slot", "body"),
            "position": n.get("position", 0),
        }
        for n in document.get("nodes", [])
    ]
    edges = [
        {"source__key": e["source"], "target__key": e["target"], "kind": e.get("kind", "next")}
        for e in document.get("edges", [])
    ]
    return build_graph(document["identifier"], document.get("name", ""), document.get("description", ""), nodes, edges)


@dataclass(frozen=True)
class Shipped:
    """A workflow of a build: the revision chosen for it and its graph as compiled into the build."""

    revision_id: int | None
    revision_number: int
    graph: Graph


def shipped_revisions(deployment: Deployment) -> dict[str, Shipped]:
    """Every workflow of a build by identifier (one query); empty for builds made before builds kept graphs."""
    rows = BuildGraph.objects.filter(deployment=deployment).values_list(
        "identifier", "revision_id", "revision_number", "document"
    )
    return {
        identifier: Shipped(revision, number, graph_from_document(doc)) for identifier, revision, number, doc in rows
    }


def graphs_of_build(deployment: Deployment) -> dict[str, Graph]:
    """Every workflow of a build by identifier, as it was compiled into it (one query)."""
    return {identifier: shipped.graph for identifier, shipped in shipped_revisions(deployment).items()}


def document_in_build(deployment: Deployment, identifier: str) -> dict | None:
    """The document one workflow of a build was compiled from; None when the build lacks it (one query)."""
    found = BuildGraph.objects.filter(deployment=deployment, identifier=identifier).values_list("document", flat=True)
    return found.first()


def graph_in_build(deployment: Deployment, identifier: str) -> Graph | None:
    """One workflow of a build as it was compiled into it; None when the build lacks it (one query)."""
    document = document_in_build(deployment, identifier)
    return graph_from_document(document) if document is not None else None


def project_mcp_servers(project) -> list[str]:
    """The names of the MCP servers (setting MCP_SERVERS) the project's workflows may use."""
    return sorted(available_to(settings.MCP_SERVERS, project.slug))
