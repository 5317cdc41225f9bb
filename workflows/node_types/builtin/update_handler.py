"""update_handler: a declaration; answers a Temporal Update: checks it, changes state, returns a value.

Unlike a signal, an update is a request with a response: the validator
expression rejects it before anything is written to the run's history, the
actions change state as a signal handler's do, and `result` is what the
caller gets back (compiler/runs/updates.py sends one).
"""

from __future__ import annotations

from vocabulary import PAYLOAD_NAME

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..graph_rules import declared_once
from ..node_type import DECLARATION, NodeType

NODE_TYPE = NodeType(
    "update_handler",
    "Update handler",
    "Answers an update: validates it, changes state and returns a result.",
    "signals",
    "reply",
    fields=(
        Field("name", "identifier", required=True, example="update"),
        Field("input_fields", "input_fields", label="Payload fields", default=[]),
        Field(
            "validator",
            "expression",
            help="Accepts the update when true; otherwise it is rejected and nothing is written to history.",
        ),
        Field("reject_message", "text", label="Rejection message", default="rejected by the validator"),
        Field("actions", "signal_actions", default=[]),
        Field("result", "expression", help="What the caller gets back, after the actions."),
    ),
    role=DECLARATION,
    graph_checks=(declared_once("name", "Update"),),
    own_names=(PAYLOAD_NAME,),
    drawing=Drawing(
        "declaration",
        subtitle="update {name}",
        badges=(
            BadgeSpec("on update {name}", "signal", "Runs when this update arrives and returns its result"),
            BadgeSpec("validated", "info", "Rejects updates for which {validator} is false", when="validator"),
        ),
    ),
)
