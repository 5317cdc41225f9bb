"""timer: a durable sleep of a number of seconds."""

from __future__ import annotations

from ..drawing import BadgeSpec, Drawing
from ..fields import MAX_SECONDS, Field
from ..node_type import NodeType

NODE_TYPE = NodeType(
    "timer",
    "Timer",
    "Durable sleep.",
    "flow",
    "clock",
    fields=(
        Field(
            "duration",
            "expression",
            required=True,
            label="Duration (seconds)",
            minimum=0,
            maximum=MAX_SECONDS,
            example="60",
        ),
    ),
    drawing=Drawing(badges=(BadgeSpec("sleep {duration}", "info", "Durable sleep (seconds)"),)),
)
