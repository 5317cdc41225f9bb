"""Node-type registry: see registry.py for the types, fields.py for config kinds."""

from .fields import RETRY_PRESETS, ConfigError, Field
from .registry import (
    CONTAINER_TYPES,
    DECLARATION_TYPES,
    EDGE_KINDS,
    NODE_TYPES,
    NodeType,
    get_node_type,
)

__all__ = [
    "CONTAINER_TYPES",
    "DECLARATION_TYPES",
    "EDGE_KINDS",
    "NODE_TYPES",
    "RETRY_PRESETS",
    "ConfigError",
    "Field",
    "NodeType",
    "get_node_type",
]
