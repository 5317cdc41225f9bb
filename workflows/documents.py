"""The workflow JSON document: one format for export, import and revisions.

Documented in docs/workflow-json.md. `check_document` validates everything a
document can get wrong and returns problems naming the node or edge, so an
import either writes the whole graph or nothing. A document comes from
anyone: every value is type-checked before it is used as a dictionary key
or compared, and text is held to the model's lengths and to
workflows.input_checks.
"""

from __future__ import annotations

from typing import Any

from workflows.identifiers import identifier_problem, slug_problem
from workflows.input_checks import text_problem
from workflows.limits import MAX_LABEL, MAX_NAME, MAX_POSITION
from workflows.node_types import NODE_TYPES, placement

FORMAT = "workflow-studio/v1"
NODE_KEYS = {"key", "type", "label", "config", "parent", "slot", "position"}
EDGE_KEYS = {"source", "target", "kind"}


def problem(message: str, *, node: str | None = None, edge: str | None = None, field: str | None = None) -> dict:
    return {"node": node, "edge": edge, "field": field, "message": message}


def export_graph(workflow, nodes, edges) -> dict[str, Any]:
    """The document for a workflow and its already-fetched nodes and edges."""
    by_id = {node.pk: node for node in nodes}

    def depth(node) -> int:
        level = 0
        while node.parent_id is not None and level <= len(by_id):
            node, level = by_id[node.parent_id], level + 1
        return level

    ordered = sorted(nodes, key=lambda n: (depth(n), n.position, n.key))
    return {
        "format": FORMAT,
        "identifier": workflow.identifier,
        "name": workflow.name,
        "description": workflow.description,
        "nodes": [
            {
                "key": n.key,
                "type": n.type,
                "label": n.label,
                "config": n.config,
                "parent": by_id[n.parent_id].key if n.parent_id else None,
                "slot": n.slot,
                "position": n.position,
            }
            for n in ordered
        ],
        "edges": sorted(
            ({"source": by_id[e.source_id].key, "target": by_id[e.target_id].key, "kind": e.kind} for e in edges),
            key=lambda e: (e["source"], e["kind"], e["target"]),
        ),
    }


def check_document(document: Any) -> tuple[dict | None, list[dict]]:
    """Normalised document (configs cleaned, defaults filled) and the problems found."""
    if not isinstance(document, dict):
        return None, [problem("The document must be a JSON object.")]
    problems: list[dict] = []
    if document.get("format", FORMAT) != FORMAT:
        shown = _shown(document.get("format"))
        problems.append(problem(f"Unknown format {shown}; expected '{FORMAT}'.", field="format"))
    identifier = document.get("identifier")
    wrong = identifier_problem(identifier)
    if wrong:
        problems.append(problem(f"identifier: {wrong}", field="identifier"))
    name = document.get("name") or (identifier if isinstance(identifier, str) else "")
    description = document.get("description") or ""
    for field, value, limit in (("name", name, MAX_NAME), ("description", description, None)):
        wrong = _text_problem(value, limit)
        if wrong:
            problems.append(problem(f"{field} {wrong}.", field=field))
    nodes_in, edges_in = document.get("nodes", []), document.get("edges", [])
    if not isinstance(nodes_in, list) or not isinstance(edges_in, list):
        return None, [*problems, problem("nodes and edges must be lists.")]
    nodes = _check_nodes(nodes_in, problems)
    edges = _check_edges(edges_in, nodes, problems)
    if problems:
        return None, problems
    cleaned = {
        "format": FORMAT,
        "identifier": identifier,
        "name": name,
        "description": description,
        "nodes": list(nodes.values()),
        "edges": edges,
    }
    return cleaned, []


def _text_problem(value: Any, limit: int | None) -> str | None:
    """Why a name, label or description cannot be stored, or None."""
    if not isinstance(value, str):
        return "must be text"
    if limit is not None and len(value) > limit:
        return f"must be at most {limit} characters (this has {len(value)})"
    return text_problem(value)


def _check_nodes(nodes_in: list, problems: list[dict]) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    for index, raw in enumerate(nodes_in, start=1):
        if not isinstance(raw, dict):
            problems.append(problem(f"Node {index} must be an object."))
            continue
        key = raw.get("key")
        where = key if isinstance(key, str) else f"#{index}"
        wrong = slug_problem(key)
        if wrong:
            problems.append(problem(f"Node {index}: key: {wrong}", node=where, field="key"))
            continue
        if key in nodes:
            problems.append(problem(f"Node key '{key}' is used twice.", node=key, field="key"))
            continue
        unknown = set(raw) - NODE_KEYS
        if unknown:
            problems.append(problem(f"Unknown node keys: {', '.join(sorted(unknown))}.", node=key))
        type_name = raw.get("type")
        node_type = NODE_TYPES.get(type_name) if isinstance(type_name, str) else None
        if node_type is None:
            problems.append(
                problem(
                    f"Unknown node type {_shown(type_name)}. Known: {', '.join(sorted(NODE_TYPES))}.",
                    node=key,
                    field="type",
                )
            )
            continue
        config, errors = node_type.clean_config(raw.get("config", {}))
        for field, messages in sorted(errors.items()):
            problems.extend(problem(f"{field}: {m}", node=key, field=f"config.{field}") for m in messages)
        label = raw.get("label") or key
        wrong = _text_problem(label, MAX_LABEL)
        if wrong:
            problems.append(problem(f"label {wrong}.", node=key, field="label"))
        position = raw.get("position", index)
        if isinstance(position, bool) or not isinstance(position, int) or abs(position) > MAX_POSITION:
            problems.append(
                problem(
                    f"position must be a whole number between -{MAX_POSITION} and {MAX_POSITION}.",
                    node=key,
                    field="position",
                )
            )
        parent, slot = raw.get("parent"), raw.get("slot") or "body"
        if parent is not None and not isinstance(parent, str):
            problems.append(problem("parent must be the key of a container node, or null.", node=key, field="parent"))
            continue
        if not isinstance(slot, str):
            problems.append(problem("slot must be the name of a container slot, e.g. body.", node=key, field="slot"))
            continue
        nodes[key] = {
            "key": key,
            "type": node_type.name,
            "label": label,
            "config": config,
            "parent": parent,
            "slot": slot,
            "position": position,
        }
    for node in nodes.values():
        _check_parent(node, nodes, problems)
    return nodes


def _check_parent(node: dict, nodes: dict[str, dict], problems: list[dict]) -> None:
    """The placement rules of workflows/node_types/placement.py, worded as the validator words them."""
    key, parent_key = node["key"], node["parent"]
    parent = nodes.get(parent_key) if parent_key is not None else None
    if parent_key is not None and parent is None:
        found = placement.missing_parent(key, parent_key)
    else:
        found = placement.slot_problem(parent_key, parent["type"] if parent else None, node["slot"])
    if found is not None:
        problems.append(problem(found.message, node=key, field=found.field))
    chain = [key]
    while parent is not None:
        if parent["key"] == key:
            found = placement.inside_itself(chain)
            problems.append(problem(found.message, node=key, field=found.field))
            return
        if parent["key"] in chain:  # a loop further up: reported on its own members
            return
        chain.append(parent["key"])
        parent = nodes.get(parent["parent"]) if parent["parent"] else None


def _check_edges(edges_in: list, nodes: dict[str, dict], problems: list[dict]) -> list[dict]:
    edges, seen = [], set()
    for index, raw in enumerate(edges_in, start=1):
        if not isinstance(raw, dict) or set(raw) - EDGE_KEYS:
            problems.append(problem(f"Edge {index} must be an object with source, target and kind."))
            continue
        source, target, kind = raw.get("source"), raw.get("target"), raw.get("kind", "next")
        if not all(isinstance(value, str) for value in (source, target, kind)):
            problems.append(problem(f"Edge {index}: source, target and kind must be text."))
            continue
        name = f"{source} -{kind}-> {target}"
        missing = [end for end in (source, target) if end not in nodes]
        if missing:
            problems.append(problem(f"Edge {name}: no node '{missing[0]}' in this document.", edge=name))
            continue
        ends = [placement.EdgeEnd(k, nodes[k]["type"], nodes[k]["parent"], nodes[k]["slot"]) for k in (source, target)]
        found = placement.edge_problem(name, *ends) or placement.kind_problem(name, ends[0], kind)
        if found is not None:
            problems.append(problem(found.message, edge=name, node=source))
            continue
        if (source, kind, target) in seen:
            problems.append(problem(f"Edge {name} is listed twice.", edge=name, node=source))
            continue
        seen.add((source, kind, target))
        edges.append({"source": source, "target": target, "kind": kind})
    return edges


def _shown(value: Any) -> str:
    """A value quoted in a message, cut short (it may be anything a document holds)."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."
