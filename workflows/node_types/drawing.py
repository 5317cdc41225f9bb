"""How the canvas draws a node type: shape, size, the line under the label and the badges.

A node type's `Drawing` is data the canvas (workflows/canvas/) reads; the
canvas knows shapes, not types. A badge is short text on the node plus a
longer title for the tooltip and screen readers. Most badges are templates
over the node's config (`BadgeSpec`); the few that need a computation
(a cron in words, a retry policy) are small functions of the config,
declared with the type that shows them.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .cron import describe_cron

CARD_SIZE = (210, 68)
# Each shape's size (width, height) on the canvas; a container's is only where its slots' layout starts.
SHAPE_SIZES = {
    "card": CARD_SIZE,
    "pill": (150, 48),
    "diamond": (190, 84),
    "declaration": (190, 52),
    "container": CARD_SIZE,
}
SHAPES = tuple(SHAPE_SIZES)


@dataclass(frozen=True)
class Badge:
    text: str
    kind: str  # css modifier: retry, concurrency, cron, signal, loop, error, info
    title: str = ""


class _Values(dict):
    """Config values for a template; a field the config lacks reads as `missing`."""

    def __init__(self, config: Mapping[str, Any], missing: str) -> None:
        super().__init__((key, value) for key, value in config.items() if value is not None)
        self.missing = missing

    def __missing__(self, key: str) -> str:
        return self.missing


def fill(template: str, config: Mapping[str, Any], missing: str = "?") -> str:
    """`template` with each `{field}` replaced by the config's value (`missing` when it has none)."""
    return string.Formatter().vformat(template, (), _Values(config, missing))


@dataclass(frozen=True)
class BadgeSpec:
    """A badge as a template over the config, shown when `when` holds (and `unless` is not truthy).

    `when` names a field that must be truthy, or is a (field, value) pair the config must match
    (a map's `on_failure` of `collect`), as a field's `shown_when` is.
    """

    text: str
    kind: str
    title: str = ""
    when: str | tuple[str, Any] | None = None
    unless: str | None = None

    def __call__(self, config: Mapping[str, Any]) -> Badge | None:
        if isinstance(self.when, tuple):
            field, value = self.when
            if config.get(field) != value:
                return None
        elif self.when is not None and not config.get(self.when):
            return None
        if self.unless is not None and config.get(self.unless):
            return None
        return Badge(fill(self.text, config), self.kind, fill(self.title, config))


# A badge: a template (BadgeSpec) or a function of the config, None when it does not apply.
BadgeRule = Callable[[Mapping[str, Any]], Badge | None]


@dataclass(frozen=True)
class Drawing:
    """A node type on the canvas. Containers are sized from their slots; `size` is for the others."""

    shape: str = "card"
    # None: the shape's size (SHAPE_SIZES), so the types drawn alike stay the same size.
    size: tuple[int, int] | None = None
    # The line under the label: a template over the config (empty: none).
    subtitle: str = ""
    badges: tuple[BadgeRule, ...] = ()
    # Headings of a container's slots when it has more than a body.
    slot_titles: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        assert self.shape in SHAPES, f"unknown shape {self.shape!r}"
        if self.size is None:
            object.__setattr__(self, "size", SHAPE_SIZES[self.shape])

    def badges_for(self, config: Mapping[str, Any]) -> list[Badge]:
        return [badge for badge in (rule(config) for rule in self.badges) if badge is not None]

    def subtitle_for(self, config: Mapping[str, Any]) -> str:
        return fill(self.subtitle, config, missing="").strip() if self.subtitle else ""

    def slot_title(self, slot: str) -> str:
        return (self.slot_titles or {}).get(slot, slot)


def seconds_in_words(value: Any) -> str:
    """3600 -> "1h", 90 -> "90s", None -> "no limit"."""
    if value is None:
        return "no limit"
    value = float(value)
    if value >= 3600 and value % 3600 == 0:
        return f"{value / 3600:g}h"
    if value >= 60 and value % 60 == 0:
        return f"{value / 60:g}m"
    return f"{value:g}s"


def cron_in_words(cron: str) -> str:
    """`*/30 * * * *` -> "Every 30 minutes"; the raw text if it cannot be described."""
    return describe_cron(cron, fallback=cron)


def retry_policy_badge(config: Mapping[str, Any]) -> Badge | None:
    """A step's Temporal retry policy (the `retry` field), e.g. "retry 3× 1s ×2"."""
    policy = config.get("retry")
    if not policy:
        return None
    attempts = policy.get("max_attempts", 0)
    if attempts == 1:
        return Badge("no retry", "retry", "Retry policy: a single attempt")
    count = "∞" if not attempts else f"{attempts}×"
    first = seconds_in_words(policy.get("initial_interval", 1.0))
    coefficient = f"{policy.get('backoff_coefficient', 2.0):g}"
    title = (
        f"Retry policy: {attempts or 'unlimited'} attempts, first retry after {first}, backoff ×{coefficient}, "
        f"at most {seconds_in_words(policy.get('maximum_interval'))} between attempts"
    )
    return Badge(f"retry {count} {first} ×{coefficient}", "retry", title)
