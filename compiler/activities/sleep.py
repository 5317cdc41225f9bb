"""The ``sleep`` built-in: an activity that takes time (demos, rate limits, tests).

A workflow should use a timer node for plain waiting; this exists to stand
in for slow work. It heartbeats every second so a cancelled run stops it.
"""

import asyncio

from temporalio import activity
from temporalio.exceptions import ApplicationError

from compiler.activities.registry import register_activity


@register_activity(name="sleep", description="Wait the given number of seconds inside an activity.")
async def sleep(seconds: float) -> dict:
    if not isinstance(seconds, int | float) or seconds < 0:
        raise ApplicationError(
            f"sleep: seconds must be a number >= 0, got {seconds!r}", type="BadActivityArguments", non_retryable=True
        )
    remaining = float(seconds)
    while remaining > 0:
        step = min(remaining, 1.0)
        await asyncio.sleep(step)
        remaining -= step
        if activity.in_activity():
            activity.heartbeat(seconds - remaining)
    return {"slept": seconds}
