"""Config fields several built-in types declare alike (a step's result variable, timeouts and retry policy)."""

from __future__ import annotations

from ..fields import MAX_SECONDS, RETRY_KEYS, Field

RETRY = Field("retry", "retry_policy", label="Retry policy", default=dict(RETRY_KEYS))
RESULT_VAR = Field("result_var", "identifier", label="Result variable")


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


# How Temporal runs each activity call of a step (activity, map): one attempt's timeout, the heartbeat
# timeout and the retry policy.
ACTIVITY_OPTIONS = (
    timeout(60.0),
    Field("heartbeat_timeout", "float", minimum=0.001, maximum=MAX_SECONDS),
    RETRY,
)
