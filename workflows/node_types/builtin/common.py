"""Config fields several built-in types declare alike (a step's timeout and its Temporal retry policy)."""

from __future__ import annotations

from ..fields import MAX_SECONDS, RETRY_KEYS, Field

RETRY = Field("retry", "retry_policy", label="Retry policy", default=dict(RETRY_KEYS))


def timeout(default: float) -> Field:
    """A step's start-to-close timeout in seconds."""
    return Field(
        "start_to_close_timeout",
        "float",
        label="Timeout (seconds)",
        default=default,
        minimum=0.001,
        maximum=MAX_SECONDS,
    )
