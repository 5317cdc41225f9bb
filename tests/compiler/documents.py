"""Workflow JSON documents -> compiler IR graphs, without a database.

Tests write graphs as the same JSON documents users import
(workflows/documents.py), so every graph is checked and normalised exactly
as an import would (defaults filled in) before the compiler sees it.
"""

from __future__ import annotations

import json
from pathlib import Path

from compiler.ir import Graph, IREdge, IRNode
from workflows.documents import check_document

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden"


def graph_from_document(document: dict) -> Graph:
    cleaned, problems = check_document(document)
    if problems:
        raise ValueError(f"invalid test document: {problems}")
    nodes = sorted(
        (
            IRNode(n["key"], n["type"], n["label"], n["config"], n["parent"], n["slot"], n["position"])
            for n in cleaned["nodes"]
        ),
        key=lambda node: (node.position, node.key),
    )
    edges = sorted(
        (IREdge(e["source"], e["target"], e["kind"]) for e in cleaned["edges"]),
        key=lambda edge: (edge.source, edge.kind, edge.target),
    )
    return Graph(cleaned["identifier"], cleaned["name"], cleaned["description"], tuple(nodes), tuple(edges))


def golden_document(name: str) -> dict:
    """tests/golden/graphs/<name>.json, to compile and run as it is."""
    return json.loads((GOLDEN_DIR / "graphs" / f"{name}.json").read_text())


def golden_graph(name: str) -> Graph:
    return graph_from_document(golden_document(name))


def golden_names() -> list[str]:
    return sorted(path.stem for path in (GOLDEN_DIR / "graphs").glob("*.json"))
