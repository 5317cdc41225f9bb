"""Small builders for workflow JSON documents (format of ``workflows/documents.py``).

The graphs are written as data, node by node, so each file reads like the
diagram in docs/package-management.md. Node positions follow the order in
which nodes are declared, which keeps the editor's layout stable.
"""

from __future__ import annotations

from typing import Any

FORMAT = "workflow-studio/v1"
# Relative to the project's directory, WORKSPACE_BASE_DIR/<project slug> (so
# var/workspaces/package-management/workspace by default): the activities refuse roots outside it.
DEFAULT_WORKSPACE = "workspace"

# Steps that a retry block retries itself: one Temporal attempt each, so the
# block's own attempts, backoff and remediation are what the run shows.
SINGLE_ATTEMPT = {"max_attempts": 1, "initial_interval": 1.0, "backoff_coefficient": 1.0}


class GraphBuilder:
    """Collects nodes and edges; ``document()`` returns the importable JSON document."""

    def __init__(self, identifier: str, name: str, description: str) -> None:
        self.identifier = identifier
        self.name = name
        self.description = description
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, str]] = []

    def node(
        self,
        key: str,
        type_: str,
        label: str,
        *,
        parent: str | None = None,
        slot: str = "body",
        **config: Any,
    ) -> str:
        self.nodes.append(
            {
                "key": key,
                "type": type_,
                "label": label,
                "config": config,
                "parent": parent,
                "slot": slot,
                "position": len(self.nodes) + 1,
            }
        )
        return key

    def chain(self, *keys: str) -> None:
        """``next`` edges a -> b -> c."""
        for source, target in zip(keys, keys[1:], strict=False):
            self.edge(source, target)

    def edge(self, source: str, target: str, kind: str = "next") -> None:
        self.edges.append({"source": source, "target": target, "kind": kind})

    def document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "identifier": self.identifier,
            "name": self.name,
            "description": self.description,
            "nodes": self.nodes,
            "edges": self.edges,
        }


def field(name: str, type_: str, default: Any = None, *, required: bool = False, description: str = "") -> dict:
    """One input field of a start node (or payload field of a signal handler)."""
    entry: dict[str, Any] = {"name": name, "type": type_, "required": required}
    if default is not None:
        entry["default"] = default
    if description:
        entry["description"] = description
    return entry


FIX_OUTPUT_SCHEMA = {
    "type": "object",
    "properties": {
        "diagnosis": {"type": "string"},
        "fix": {"type": "string"},
        "files": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["diagnosis", "fix", "files"],
}

SCAFFOLD_OUTPUT_SCHEMA = {
    "type": "object",
    "properties": {
        "files": {"type": "array", "items": {"type": "string"}},
        "notes": {"type": "string"},
    },
    "required": ["files", "notes"],
}
