"""wait: waits until an expression over state becomes true, with an optional timeout.

The human-approval pattern: signals (or updates) change state, the run
waits for it, and a timeout that passes takes the node's `error` edge (a
`WaitTimedOut` failure, so the error path reads `error.type`). Before this
node a loop with an empty body and `wait_for` stood in for it.
"""

from __future__ import annotations

from ..drawing import BadgeSpec, Drawing
from ..fields import MAX_SECONDS, Field
from ..node_type import NodeType

NODE_TYPE = NodeType(
    "wait",
    "Wait",
    "Waits until a condition over state holds; a timeout takes the error edge.",
    "signals",
    "hourglass",
    fields=(
        Field(
            "until",
            "expression",
            required=True,
            label="Until",
            help="Waits until this is true, e.g. approved or len(answers) >= 2; signals change state meanwhile.",
            example="True",
        ),
        Field(
            "timeout",
            "expression",
            label="Timeout (seconds)",
            help="Gives up after this many seconds: the error edge is taken (error.type is WaitTimedOut).",
            minimum=0.001,
            maximum=MAX_SECONDS,
        ),
    ),
    out_edges=("next", "error"),
    drawing=Drawing(
        subtitle="until {until}",
        badges=(BadgeSpec("timeout {timeout}s → error edge", "error", "Gives up after {timeout} s", when="timeout"),),
    ),
)
