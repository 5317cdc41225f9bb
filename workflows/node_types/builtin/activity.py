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
        Field("activity", "text", required=True, help="Name of a registered activity.", example="http_request"),
        Field("args", "expression_map", label="Arguments", default={}),
        RESULT_VAR,
        *ACTIVITY_OPTIONS,
    ),
    out_edges=("next", "error"),
    result_field="result_var",
    drawing=Drawing(subtitle="{activity}", badges=(retry_policy_badge,)),
)
