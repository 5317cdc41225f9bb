"""retry_block: retries a multi-node body, with remediation steps between attempts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vocabulary import BACKOFFS, RETRY_BLOCK_DEFAULTS, RETRY_NAMES

from ..drawing import Badge, BadgeSpec, Drawing, seconds_in_words
from ..fields import MAX_COUNT, MAX_MULTIPLIER, MAX_SECONDS, Field
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
    expects_body=True,
    slots=("body", "remediation"),
    out_edges=("next", "error"),
    returns_with="body",
    slot_names=RETRY_NAMES,
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
