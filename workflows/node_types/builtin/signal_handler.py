"""signal_handler: a declaration; receives a signal and changes state."""

from __future__ import annotations

from vocabulary import PAYLOAD_NAME

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..graph_rules import declared_once
from ..node_type import DECLARATION, NodeType

NODE_TYPE = NodeType(
    "signal_handler",
    "Signal handler",
    "Receives a signal and changes state.",
    "signals",
    "inbox",
    fields=(
        Field("signal", "identifier", required=True, example="signal"),
        Field("payload_fields", "input_fields", default=[]),
        Field("actions", "signal_actions", default=[]),
    ),
    role=DECLARATION,
    graph_checks=(declared_once("signal", "Signal"),),
    own_names=(PAYLOAD_NAME,),
    drawing=Drawing(
        "declaration",
        subtitle="signal {signal}",
        badges=(BadgeSpec("on signal {signal}", "signal", "Runs when this signal arrives"),),
    ),
)
