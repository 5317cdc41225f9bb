"""dependency_graph: build order (layers) of items with dependencies."""

from __future__ import annotations

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..node_type import NodeType

NODE_TYPE = NodeType(
    "dependency_graph",
    "Dependency graph",
    "Build order (layers) from items with dependencies.",
    "concurrency",
    "graph",
    fields=(
        Field("items", "expression", required=True, example="[]"),
        Field("item_key", "expression", label="Item key", default="item['name']"),
        Field("depends_on", "expression", label="Depends on", default="item['dependencies']"),
        Field("output_var", "identifier", required=True, label="Output variable", example="layers"),
    ),
    out_edges=("next", "error"),
    result_field="output_var",
    item_fields=("item_key", "depends_on"),
    drawing=Drawing(badges=(BadgeSpec("layers → {output_var}", "concurrency", "Build order, in layers"),)),
)
