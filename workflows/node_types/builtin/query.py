"""query: a declaration; exposes state to callers."""

from __future__ import annotations

from collections.abc import Iterator

from vocabulary import PROGRESS_QUERY

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..graph_rules import GraphProblem, GraphView, declared_once
from ..node_type import DECLARATION, NodeType


def not_built_in(view: GraphView) -> Iterator[GraphProblem]:
    """The built-in progress query keeps its name: a query of that name could never be asked."""
    for node in view.nodes:
        if view.configs[node.key].get("name") == PROGRESS_QUERY:
            yield GraphProblem(
                f"Query name '{PROGRESS_QUERY}' is built in: "
                "every workflow answers it with its phase and node statuses",
                "choose another name",
                node=node.key,
                field="name",
            )


NODE_TYPE = NodeType(
    "query",
    "Query",
    "Exposes state to callers.",
    "signals",
    "eye",
    fields=(
        Field("name", "identifier", required=True, example="query"),
        Field("expression", "expression", required=True, example="None"),
    ),
    role=DECLARATION,
    graph_checks=(declared_once("name", "Query"), not_built_in),
    drawing=Drawing(
        "declaration",
        subtitle="{name}",
        badges=(BadgeSpec("query {name}", "signal", "Answers this query"),),
    ),
)
