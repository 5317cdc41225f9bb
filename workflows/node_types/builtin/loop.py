"""loop: a long-running loop that waits, repeats its body and continues as new."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..drawing import Badge, BadgeSpec, Drawing, seconds_in_words
from ..fields import MAX_COUNT, MAX_SECONDS, Field
from ..graph_rules import GraphProblem, GraphView, empty_bodies, empty_body
from ..node_type import CONTAINER, NodeType


def continue_as_new_badge(config: Mapping[str, Any]) -> Badge | None:
    """When the loop continues as new, in words; None when it never does."""
    reasons = []
    if config.get("continue_as_new_suggested"):
        reasons.append("when suggested")
    if config.get("continue_as_new_iterations"):
        reasons.append(f"every {config['continue_as_new_iterations']} iterations")
    if config.get("continue_as_new_seconds"):
        reasons.append(f"after {seconds_in_words(config['continue_as_new_seconds'])}")
    return Badge("continue-as-new", "loop", "Continues as new " + ", ".join(reasons)) if reasons else None


def body_or_wait_for(view: GraphView) -> Iterator[GraphProblem]:
    """An empty loop is worth a warning; an error when it does not wait either, as it would spin forever."""
    for node in empty_bodies(view):
        config = node.config if isinstance(node.config, dict) else {}
        if config.get("wait_for"):
            yield empty_body(view, node)
        else:
            yield GraphProblem(
                f"Loop '{node.key}' is empty and has no wait_for: it would spin without ever waiting",
                "add steps to its body, or set Wait for",
                node=node.key,
                field="wait_for",
            )


NODE_TYPE = NodeType(
    "loop",
    "Loop",
    "A long-running loop with continue-as-new.",
    "containers",
    "loop",
    fields=(
        Field("while_expression", "expression", label="While", default="True"),
        Field("wait_for", "expression", label="Wait for", help="Waits until true before each iteration."),
        Field("continue_as_new_suggested", "bool", label="Continue-as-new when suggested", default=True),
        Field(
            "continue_as_new_iterations",
            "int",
            label="Continue-as-new after N iterations",
            minimum=1,
            maximum=MAX_COUNT,
        ),
        Field(
            "continue_as_new_seconds",
            "float",
            label="Continue-as-new after seconds",
            minimum=1,
            maximum=MAX_SECONDS,
        ),
    ),
    role=CONTAINER,
    graph_checks=(body_or_wait_for,),
    slots=("body",),
    drawing=Drawing(
        "container",
        badges=(
            BadgeSpec("while {while_expression}", "loop", "Repeats its body while this holds"),
            BadgeSpec("waits for {wait_for}", "loop", "Waits until true before each iteration", when="wait_for"),
            continue_as_new_badge,
        ),
    ),
)
