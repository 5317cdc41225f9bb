"""end: finishes the workflow with a result, wherever it stands."""

from __future__ import annotations

from ..drawing import Drawing
from ..fields import Field
from ..node_type import NodeType

NODE_TYPE = NodeType(
    "end",
    "End",
    "Finishes the workflow with a result.",
    "flow",
    "stop",
    fields=(Field("result", "expression", help="The workflow's result, e.g. {'ok': True}."),),
    ends_run=True,
    drawing=Drawing("pill", subtitle="{result}"),
)
