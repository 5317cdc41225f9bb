"""Activities for the worker-crash tests: each run writes a line to a log, so a test can count side effects.

Loaded by the `run_worker` subprocess (`activity_modules`). `crash_build`
does not heartbeat itself: the registry's adapter heartbeats for it, which
is what lets a short heartbeat timeout tell a dead worker from a slow step.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from compiler.activities.registry import register_activity


def _log(directory: str, name: str, line: str) -> None:
    with open(Path(directory) / name, "a") as log:
        log.write(line + "\n")


@register_activity(name="crash_build", description="Log 'start', wait, log 'built' (a slow build with a side effect).")
async def crash_build(directory: str, seconds: float, attempt: int) -> dict:
    _log(directory, "build.log", f"start {attempt}")
    await asyncio.sleep(seconds)
    _log(directory, "build.log", f"built {attempt}")
    return {"attempt": attempt}


@register_activity(name="crash_fix", description="Log 'fix' (a retry block's remediation).")
async def crash_fix(directory: str) -> dict:
    _log(directory, "fix.log", "fix")
    return {"fixed": True}
