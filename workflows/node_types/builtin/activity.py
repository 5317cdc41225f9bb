"""activity: calls one registered activity with evaluated arguments."""

from __future__ import annotations

from ..drawing import Drawing, retry_policy_badge
from ..fields import MAX_SECONDS, Field
from ..node_type import NodeType
from .common import RETRY, timeout

NODE_TYPE = NodeType(
    "activity",
    "Activity",
    "Calls one registered activity.",
    "steps",
    "bolt",
    fields=(
        Field("activity", "text", required=True, help="Name of a registered activity.", example="http_request"),
        Field("args", "expression_map", label="Arguments", default={}),
        Field("result_var", "identifier", label="Result variable"),
        timeout(60.0),
        Field("heartbeat_timeout", "float", minimum=0.001, maximum=MAX_SECONDS),
        RETRY,
    ),
    out_edges=("next", "error"),
    result_field="result_var",
    drawing=Drawing(subtitle="{activity}", badges=(retry_policy_badge,)),
)
