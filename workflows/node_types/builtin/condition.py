"""condition: if/else on an expression; the branches re-join after it."""

from __future__ import annotations

from collections.abc import Iterator

from ..drawing import Drawing
from ..fields import Field
from ..graph_rules import GraphProblem, GraphView
from ..node_type import BRANCH, NodeType

BRANCHES = ("true", "false")


def both_branches(view: GraphView) -> Iterator[GraphProblem]:
    """Each placed condition has a `true` and a `false` edge: the flow needs a way on either way."""
    for node in view.nodes:
        if node.key not in view.placed:
            continue
        for kind in BRANCHES:
            if kind not in view.out_kinds.get(node.key, ()):
                yield GraphProblem(
                    f"Condition '{node.key}' has no {kind} edge",
                    f"connect the step to run when the expression is {kind}",
                    node=node.key,
                )


NODE_TYPE = NodeType(
    "condition",
    "Condition",
    "If/else on an expression.",
    "flow",
    "split",
    fields=(Field("expression", "expression", required=True, example="True"),),
    role=BRANCH,
    out_edges=BRANCHES,
    graph_checks=(both_branches,),
    drawing=Drawing("diamond", subtitle="{expression}"),
)
