"""The read-only workflow page: nodes listed by container, declarations on the side.

Two queries fetch the whole graph (nodes, edges); the outline is built in
Python, so the page costs the same number of queries for 5 nodes or 500.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from projects.permissions import get_project_for
from workflows.models import Edge, Node
from workflows.node_types import DECLARATION_TYPES, NODE_TYPES
from workflows.node_types.cron import describe_cron

SUMMARY_LENGTH = 90


@dataclass
class NodeRow:
    node: Node
    title: str
    summary: str
    outgoing: list[tuple[str, Node]] = field(default_factory=list)


@dataclass
class Section:
    """The nodes of one container slot (container None: the top level)."""

    container: Node | None
    slot: str
    rows: list[NodeRow]


def _short(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(", ", ": "))


def config_summary(node: Node) -> str:
    """The settings that differ from the type's defaults, in one short line."""
    node_type = NODE_TYPES.get(node.type)
    if node_type is None:
        return ""
    parts = [
        f"{spec.name}: {_short(node.config[spec.name])}"
        for spec in node_type.fields
        if not spec.is_empty(node.config.get(spec.name)) and node.config.get(spec.name) != spec.default
    ]
    text = "; ".join(parts)
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def workflow_outline(nodes: list[Node], edges: list[Edge]) -> tuple[list[Section], dict[str, list[Node]]]:
    """Flow nodes as sections (top level first, then each container depth-first) and the declarations."""
    by_id = {node.pk: node for node in nodes}
    outgoing: dict[int, list[tuple[str, Node]]] = {}
    for edge in sorted(edges, key=lambda e: (e.kind, by_id[e.target_id].position, by_id[e.target_id].key)):
        outgoing.setdefault(edge.source_id, []).append((edge.kind, by_id[edge.target_id]))
    children: dict[tuple[int | None, str], list[Node]] = {}
    for node in sorted(nodes, key=lambda n: (n.position, n.key)):
        if node.type not in DECLARATION_TYPES:
            children.setdefault((node.parent_id, node.slot), []).append(node)

    sections: list[Section] = []

    def visit(container: Node | None, slot: str) -> None:
        members = children.get((container.pk if container else None, slot), [])
        if container is None or members:
            sections.append(
                Section(
                    container,
                    slot,
                    [
                        NodeRow(node, NODE_TYPES[node.type].title, config_summary(node), outgoing.get(node.pk, []))
                        for node in members
                    ],
                )
            )
        for node in members:
            for child_slot in NODE_TYPES[node.type].slots:
                visit(node, child_slot)

    visit(None, "body")
    declarations = {kind: [n for n in nodes if n.type == kind] for kind in ("state", "signal_handler", "query")}
    return sections, declarations


@login_required
def workflow_detail(request, slug: str, identifier: str):
    project, membership = get_project_for(request.user, slug)
    workflow = get_object_or_404(project.workflows, identifier=identifier)
    nodes = list(workflow.nodes.all())
    edges = list(workflow.edges.all())
    sections, declarations = workflow_outline(nodes, edges)
    start = next((node for node in nodes if node.type == "start"), None)
    schedule = None
    if start is not None and start.config.get("trigger") == "cron" and start.config.get("cron"):
        schedule = {
            "cron": start.config["cron"],
            "description": describe_cron(start.config["cron"], fallback=f"cron {start.config['cron']}"),
            "timezone": start.config.get("timezone", "UTC"),
        }
    return render(
        request,
        "workflows/detail.html",
        {
            "project": project,
            "membership": membership,
            "workflow": workflow,
            "sections": sections,
            "states": declarations["state"],
            "signals": declarations["signal_handler"],
            "queries": declarations["query"],
            "start": start,
            "schedule": schedule,
            "node_count": len(nodes),
        },
    )
