"""query: a declaration; exposes state to callers."""

from __future__ import annotations

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..node_type import DECLARATION, NodeType

NODE_TYPE = NodeType(
    "query",
    "Query",
    "Exposes state to callers.",
    "signals",
    "eye",
    fields=(
        Field("name", "identifier", required=True, example="query"),
        Field("expression", "expression", required=True, example="None"),
    ),
    role=DECLARATION,
    drawing=Drawing(
        "declaration",
        subtitle="{name}",
        badges=(BadgeSpec("query {name}", "signal", "Answers this query"),),
    ),
)
