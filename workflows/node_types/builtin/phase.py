"""phase: a named stage; its children run in sequence and the progress query names it."""

from __future__ import annotations

from ..drawing import Drawing
from ..fields import Field
from ..graph_rules import body_expected
from ..node_type import CONTAINER, NodeType

NODE_TYPE = NodeType(
    "phase",
    "Phase",
    "A named stage; its children run in sequence.",
    "containers",
    "box",
    fields=(Field("name", "text", required=True, example="PHASE"),),
    role=CONTAINER,
    slots=("body",),
    returns_with="body",
    graph_checks=(body_expected,),
    drawing=Drawing("container"),
)
