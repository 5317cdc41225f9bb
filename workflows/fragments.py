"""A copied part of a graph (the clipboard): some nodes, what is inside them, and the edges between them.

Copy makes one from a workflow document; paste takes one from anywhere (the
session, or a browser clipboard the user controls), so `check_fragment`
treats it as hostile and checks it exactly as an import is checked
(workflows.documents.check_document): every node, config, placement and
edge, with problems that name the node or edge.

In a fragment the copied roots stand at its top level; the paste puts them
into the container the user chose, under fresh keys.
"""

from __future__ import annotations

from typing import Any

from workflows.documents import FORMAT, check_document, problem

FRAGMENT_FORMAT = "workflow-studio/fragment-v1"
MAX_FRAGMENT_NODES = 1000


def fragment_of(document: dict, keys: list[str]) -> dict:
    """The nodes `keys` of a workflow document with everything inside them and the edges among them.

    A node inside another copied node stays inside it; the others become the
    fragment's roots. Keys that are not in the document are ignored.
    """
    nodes = {node["key"]: node for node in document["nodes"]}
    picked = {key for key in keys if key in nodes}
    children: dict[str, list[str]] = {}
    for node in document["nodes"]:
        if node["parent"] is not None:
            children.setdefault(node["parent"], []).append(node["key"])
    frontier = list(picked)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in picked:
                picked.add(child)
                frontier.append(child)
    copied = []
    for node in document["nodes"]:  # parents before children, as the document orders them
        if node["key"] in picked:
            inside = node["parent"] in picked
            copied.append(node if inside else {**node, "parent": None, "slot": "body"})
    return {
        "format": FRAGMENT_FORMAT,
        "nodes": copied,
        "edges": [e for e in document["edges"] if e["source"] in picked and e["target"] in picked],
    }


def check_fragment(fragment: Any) -> tuple[dict | None, list[dict]]:
    """The cleaned fragment (nodes and edges as an import cleans them) and the problems found."""
    if not isinstance(fragment, dict):
        return None, [problem("The pasted text must be a JSON object copied from the editor.")]
    if fragment.get("format") != FRAGMENT_FORMAT:
        return None, [problem(f"This is not a copied part of a workflow (format must be '{FRAGMENT_FORMAT}').")]
    nodes, edges = fragment.get("nodes"), fragment.get("edges", [])
    if not isinstance(nodes, list) or not nodes:
        return None, [problem("Nothing to paste: the copied part has no nodes.")]
    if len(nodes) > MAX_FRAGMENT_NODES:
        return None, [problem(f"At most {MAX_FRAGMENT_NODES} nodes can be pasted at once (this has {len(nodes)}).")]
    cleaned, problems = check_document(
        {"format": FORMAT, "identifier": "pasted", "name": "pasted", "nodes": nodes, "edges": edges}
    )
    if problems:
        return None, problems
    return {"nodes": cleaned["nodes"], "edges": cleaned["edges"]}, []
