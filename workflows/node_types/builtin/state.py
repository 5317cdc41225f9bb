"""state: a declaration; one typed variable of the workflow's state."""

from __future__ import annotations

from ..drawing import Drawing
from ..fields import Field
from ..graph_rules import declared_once
from ..node_type import DECLARATION, NodeType

NODE_TYPE = NodeType(
    "state",
    "State variable",
    "Declares a state variable.",
    "data",
    "database",
    fields=(
        Field("name", "identifier", required=True, example="variable"),
        Field("type", "choice", choices=("str", "int", "float", "bool", "list", "dict", "any"), default="any"),
        Field("initial", "json"),
    ),
    role=DECLARATION,
    graph_checks=(declared_once("name", "State variable"),),
    drawing=Drawing("declaration", subtitle="{name}: {type}"),
)
