"""condition: if/else on an expression; the branches re-join after it."""

from __future__ import annotations

from ..drawing import Drawing
from ..fields import Field
from ..node_type import BRANCH, NodeType

NODE_TYPE = NodeType(
    "condition",
    "Condition",
    "If/else on an expression.",
    "flow",
    "split",
    fields=(Field("expression", "expression", required=True, example="True"),),
    role=BRANCH,
    out_edges=("true", "false"),
    drawing=Drawing("diamond", subtitle="{expression}"),
)
