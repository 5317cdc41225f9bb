"""Small labels on canvas nodes: what a node does beyond its name, in words.

Each node type's `Drawing` (workflows/node_types/drawing.py) declares its
badges and the line under its label; here they are read for one node, with
the type's defaults filled in where the config leaves a setting out (so the
canvas shows what the compiler will do). The error-edge badge is the
canvas's own: it depends on the graph, not on the node.
"""

from __future__ import annotations

from workflows.node_types import NODE_TYPES, Badge

ERROR_EDGE = Badge("on error →", "error", "A failure takes the error edge instead of failing the workflow")


def _config(node_type: str, config: dict | None) -> dict:
    spec = NODE_TYPES.get(node_type)
    return {**(spec.defaults() if spec else {}), **(config or {})}


def node_badges(node_type: str, config: dict | None, *, has_error_edge: bool = False) -> list[Badge]:
    """The badges of one node, most important first."""
    spec = NODE_TYPES.get(node_type)
    badges = spec.drawing.badges_for(_config(node_type, config)) if spec else []
    return [*badges, ERROR_EDGE] if has_error_edge else badges


def node_subtitle(node_type: str, config: dict | None) -> str:
    """One line under the label: the thing a reader looks for first."""
    spec = NODE_TYPES.get(node_type)
    return spec.drawing.subtitle_for(_config(node_type, config)) if spec else ""
