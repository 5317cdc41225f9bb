"""fail: ends the run as failed, with an error type, a message and optional details.

The counterpart of `end` for a run that must not complete: a saga that has
refunded what it could, a check that finds the input unusable. It raises a
non-retryable error of the given type from the workflow itself, so the run
ends failed and a parent's child step or spawner sees a failed child.
"""

from __future__ import annotations

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..node_type import NodeType

NODE_TYPE = NodeType(
    "fail",
    "Fail",
    "Ends the run as failed with an error type and message.",
    "flow",
    "x-octagon",
    fields=(
        Field(
            "error_type",
            "identifier",
            label="Error type",
            default="WorkflowFailed",
            help="The failure's type, e.g. InsufficientFunds; a parent or client can tell failures apart by it.",
        ),
        Field(
            "message",
            "expression",
            required=True,
            help="Text of the failure, e.g. 'payment refused: ' + error.message.",
            example="'failed'",
        ),
        Field("details", "expression", help="Optional JSON value attached to the failure, e.g. {'order': input.id}."),
    ),
    ends_run=True,
    drawing=Drawing(
        "pill",
        subtitle="{message}",
        badges=(BadgeSpec("fails: {error_type}", "error", "Ends the run as failed with this error type"),),
    ),
)
