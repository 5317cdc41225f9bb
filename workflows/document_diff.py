"""What changed between two workflow documents: nodes and edges by key, and the text diff.

Revisions store the workflow JSON document (workflows/documents.py), so two
revisions (or two builds' graphs) compare as two documents. Nodes are
matched by key, the name runs and edges use; edges by their name
`source -kind-> target`, the name diagnostics use, so an edge is only ever
added or removed (changing its kind or an end makes it another edge). The
text diff is of the documents printed with sorted keys, because a JSON
column may hand keys back in another order (PostgreSQL's jsonb does).
"""

from __future__ import annotations

import difflib
import json
from typing import Any

WORKFLOW_FIELDS = ("name", "description")
NODE_FIELDS = ("type", "label", "parent", "slot", "position")


def diff_documents(before: dict, after: dict, *, before_name: str, after_name: str) -> dict[str, Any]:
    """The changes from `before` to `after`; the names head the unified text diff."""
    return {
        "workflow": _field_changes(before, after, WORKFLOW_FIELDS),
        "nodes": _node_changes(before.get("nodes", []), after.get("nodes", [])),
        "edges": _edge_changes(before.get("edges", []), after.get("edges", [])),
        "text": unified_text_diff(before, after, before_name=before_name, after_name=after_name),
    }


def change_count(before: dict, after: dict) -> int:
    """How many workflow fields, nodes and edges differ (the editor's "3 changes not deployed"); no text diff."""
    nodes, edges = (
        _node_changes(before.get("nodes", []), after.get("nodes", [])),
        _edge_changes(before.get("edges", []), after.get("edges", [])),
    )
    found = [*nodes.values(), *edges.values()]
    return len(_field_changes(before, after, WORKFLOW_FIELDS)) + sum(len(changes) for changes in found)


def unified_text_diff(before: dict, after: dict, *, before_name: str, after_name: str) -> str:
    """`diff -u` of the two documents as indented JSON; empty when they are equal."""
    lines = difflib.unified_diff(_printed(before), _printed(after), fromfile=before_name, tofile=after_name)
    return "".join(lines)


def _edge_name(edge: dict) -> str:
    return f"{edge['source']} -{edge['kind']}-> {edge['target']}"


def _printed(document: dict) -> list[str]:
    return [line + "\n" for line in json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).splitlines()]


def _field_changes(before: dict, after: dict, fields: tuple[str, ...]) -> list[dict]:
    """`{field, before, after}` for each field whose value differs (a missing field reads as null)."""
    return [
        {"field": name, "before": before.get(name), "after": after.get(name)}
        for name in fields
        if before.get(name) != after.get(name)
    ]


def _config_changes(before: dict, after: dict) -> list[dict]:
    """One change per config setting, named `config.<setting>` as import problems name them."""
    old, new = before.get("config") or {}, after.get("config") or {}
    return [
        {"field": f"config.{name}", "before": old.get(name), "after": new.get(name)}
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]


def _node_changes(before: list[dict], after: list[dict]) -> dict[str, list[dict]]:
    old = {node["key"]: node for node in before}
    new = {node["key"]: node for node in after}
    changed = []
    for key in sorted(old.keys() & new.keys()):
        changes = _field_changes(old[key], new[key], NODE_FIELDS) + _config_changes(old[key], new[key])
        if changes:
            changed.append({"key": key, "changes": changes})
    return {
        "added": [new[key] for key in sorted(new.keys() - old.keys())],
        "changed": changed,
        "removed": [old[key] for key in sorted(old.keys() - new.keys())],
    }


def _edge_changes(before: list[dict], after: list[dict]) -> dict[str, list[dict]]:
    old = {_edge_name(edge): edge for edge in before}
    new = {_edge_name(edge): edge for edge in after}
    return {
        "added": [{"name": name, **new[name]} for name in sorted(new.keys() - old.keys())],
        "removed": [{"name": name, **old[name]} for name in sorted(old.keys() - new.keys())],
    }
