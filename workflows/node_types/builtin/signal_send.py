"""signal_send: signals another workflow of the project, optionally starting it (signal-with-start)."""

from __future__ import annotations

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..node_type import NodeType, required_when

NODE_TYPE = NodeType(
    "signal_send",
    "Send signal",
    "Signals another workflow, optionally starting it.",
    "signals",
    "send",
    fields=(
        Field("workflow_id", "expression", required=True, label="Target workflow id", example="'target-workflow-id'"),
        Field("signal", "text", required=True, example="signal"),
        Field("payload", "expression", default="None"),
        Field("start_if_missing", "bool", default=False, label="Start if missing (signal-with-start)"),
        Field("workflow", "slug", label="Workflow to start"),
        Field("start_input", "expression", default="{}"),
    ),
    out_edges=("next", "error"),
    checks=(required_when("start_if_missing", True, "workflow", "is required to start the target when it is missing"),),
    drawing=Drawing(
        badges=(
            BadgeSpec("signal {signal}", "signal", "Sends this signal"),
            BadgeSpec("signal-with-start", "signal", "Starts {workflow} when it is missing", when="start_if_missing"),
        ),
    ),
)
