"""activity: calls one registered activity with evaluated arguments."""

from __future__ import annotations

from ..drawing import Drawing, retry_policy_badge
from ..fields import Field
from ..node_type import NodeType
from .common import ACTIVITY_OPTIONS, RESULT_VAR

NODE_TYPE = NodeType(
    "activity",
    "Activity",
    "Calls one registered activity.",
    "steps",
    "bolt",
    fields=(
        # A new node waits one second, the one built-in that needs nothing from the workflow: it starts without
        # errors, and the user picks the real activity (http_request would start with a missing url).
        Field("activity", "activity", required=True, help="Name of a registered activity.", example="sleep"),
        Field("args", "expression_map", label="Arguments", default={}, example={"seconds": "1"}),
        RESULT_VAR,
        *ACTIVITY_OPTIONS,
    ),
    out_edges=("next", "error"),
    result_field="result_var",
    drawing=Drawing(subtitle="{activity}", badges=(retry_policy_badge,)),
)
