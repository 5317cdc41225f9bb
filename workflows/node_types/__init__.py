"""Node-type registry: one module per type under builtin/, collected by registry.py.

`node_type.py` says what a type declares, `drawing.py` how the canvas draws
it, `fields.py` the kinds of config field, `placement.py` where nodes and
edges may stand.
"""

from .drawing import Badge, BadgeSpec, Drawing
from .fields import RETRY_PRESETS, ConfigError, Field
from .node_type import BRANCH, CONTAINER, DECLARATION, ENTRY, STEP, NodeType
from .registry import (
    CONTAINER_TYPES,
    DECLARATION_TYPES,
    EDGE_KINDS,
    NODE_TYPES,
    get_node_type,
    register,
    unregister,
)

__all__ = [
    "BRANCH",
    "CONTAINER",
    "CONTAINER_TYPES",
    "DECLARATION",
    "DECLARATION_TYPES",
    "EDGE_KINDS",
    "ENTRY",
    "NODE_TYPES",
    "RETRY_PRESETS",
    "STEP",
    "Badge",
    "BadgeSpec",
    "ConfigError",
    "Drawing",
    "Field",
    "NodeType",
    "get_node_type",
    "register",
    "unregister",
]
