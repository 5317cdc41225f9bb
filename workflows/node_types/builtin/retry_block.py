"""retry_block: retries a multi-node body, with remediation steps between attempts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vocabulary import BACKOFFS, RETRY_BLOCK_DEFAULTS, RETRY_NAMES

from ..drawing import Badge, BadgeSpec, Drawing, seconds_in_words
from ..fields import MAX_COUNT, MAX_MULTIPLIER, MAX_SECONDS, Field
from ..graph_rules import GraphProblem, GraphView, body_expected
from ..node_type import CONTAINER, NodeType

_BLOCK = RETRY_BLOCK_DEFAULTS


def attempts_badge(config: Mapping[str, Any]) -> Badge:
    """ "3 attempts · exp 1s ×2": how often and how patiently the body is retried."""
    attempts, backoff = config.get("max_attempts"), config.get("backoff")
    if backoff == "none":
        detail = "no backoff"
    else:
        detail = f"{backoff[:3]} {seconds_in_words(config.get('initial_interval'))}"
        if backoff == "exponential":
            detail += f" ×{config.get('multiplier'):g}"
    return Badge(
        f"{attempts} attempts · {detail}", "retry", f"Retries its body up to {attempts} times, {backoff} backoff"
    )


def error_edge_when_exhausted(view: GraphView) -> Iterator[GraphProblem]:
    """A block set to follow its error edge once attempts run out must have one, or the failure goes nowhere."""
    for node in view.nodes:
        exhausted_to_edge = view.configs[node.key].get("on_exhausted") == "error_edge"
        if exhausted_to_edge and node.key in view.placed and "error" not in view.out_kinds.get(node.key, ()):
            yield GraphProblem(
                f"'{node.key}' should follow its error edge when attempts run out, but it has none",
                "add an error edge, or set 'On exhausted' to fail",
                node=node.key,
                field="on_exhausted",
            )


NODE_TYPE = NodeType(
    "retry_block",
    "Retry block",
    "Retries a multi-node body, with remediation between attempts.",
    "containers",
    "repeat",
    fields=(
        Field("max_attempts", "int", default=_BLOCK["max_attempts"], minimum=1, maximum=MAX_COUNT),
        Field("backoff", "choice", choices=BACKOFFS, default=_BLOCK["backoff"]),
        Field("initial_interval", "float", default=_BLOCK["initial_interval"], minimum=0, maximum=MAX_SECONDS),
        Field("multiplier", "float", default=_BLOCK["multiplier"], minimum=1, maximum=MAX_MULTIPLIER),
        Field("max_interval", "float", default=_BLOCK["max_interval"], minimum=0, maximum=MAX_SECONDS),
        Field("on_exhausted", "choice", choices=("fail", "error_edge"), default="fail"),
    ),
    role=CONTAINER,
    slots=("body", "remediation"),
    out_edges=("next", "error"),
    returns_with="body",
    slot_names=RETRY_NAMES,
    graph_checks=(body_expected, error_edge_when_exhausted),
    drawing=Drawing(
        "container",
        badges=(
            attempts_badge,
            BadgeSpec(
                "exhausted → error edge",
                "error",
                "When all attempts fail, the error edge is taken",
                when=("on_exhausted", "error_edge"),
            ),
        ),
        slot_titles={"remediation": "between attempts"},
    ),
)
