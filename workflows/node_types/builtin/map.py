"""map: calls one activity for each item of a list, side by side, inside the workflow (no child workflows)."""

from __future__ import annotations

from vocabulary import MAP_FAILURE_POLICIES

from ..drawing import BadgeSpec, Drawing, retry_policy_badge
from ..fields import MAX_COUNT, Field
from ..node_type import NodeType
from .common import ACTIVITY_OPTIONS, RESULT_VAR

NODE_TYPE = NodeType(
    "map",
    "Map",
    "Calls an activity for each item of a list, a few at a time; results in item order.",
    "concurrency",
    "list",
    fields=(
        Field("items", "expression", required=True, example="[]", help="A list; `item` names each one in Arguments."),
        Field("activity", "activity", required=True, help="Name of a registered activity.", example="sleep"),
        Field(
            "args",
            "expression_map",
            label="Arguments",
            default={},
            example={"seconds": "item"},
            help="Evaluated per item.",
        ),
        Field("max_concurrency", "int", label="Max concurrency", default=10, minimum=1, maximum=MAX_COUNT),
        Field(
            "on_failure",
            "choice",
            choices=MAP_FAILURE_POLICIES,
            default="fail_fast",
            help="fail_fast: cancel the rest and fail; collect: every item's status, result and error.",
        ),
        RESULT_VAR,
        *ACTIVITY_OPTIONS,
    ),
    out_edges=("next", "error"),
    result_field="result_var",
    item_fields=("args",),
    drawing=Drawing(
        subtitle="{activity} per item",
        badges=(
            BadgeSpec("max {max_concurrency}", "concurrency", "At most {max_concurrency} calls run at the same time"),
            BadgeSpec(
                "collects failures",
                "error",
                "Every item runs; each one's failure is reported in the result",
                when=("on_failure", "collect"),
            ),
            retry_policy_badge,
        ),
    ),
)
