"""Retry blocks in generated workflows: attempts, backoff and the last error.

A `retry_block` node compiles to a `while True:` loop around its body (see
compiler/emit/containers.py); this helper keeps the bookkeeping out of the
generated code: which attempt runs (`attempt`, 1-based, readable by the
body's and the remediation's expressions), the text of the last failure
(`last_error`) and its details (`error`, compiler/runtime/errors.py),
the backoff before the next attempt and the `retrying` status of the
`progress` query. When the attempts are exhausted it raises an
ApplicationError naming the block, the attempts and the last error, so
the block's `error` edge is taken (an `except FailureError` around it) or,
without one, the workflow fails with that message.

A step whose worker died (SIGKILL, a lost machine) has not failed: its
activity stopped heartbeating and timed out (`worker_lost`). The generated
code then runs the same attempt again, without backoff or remediation, up
to MAX_LOST_WORKERS times per run of the block; after that such timeouts
count as failures (an activity that blocks its worker's event loop past the
heartbeat timeout would otherwise be re-run forever).

Pure and deterministic (no clock, no I/O): it runs in the workflow sandbox.
The defaults of a block's settings are the node type's (vocabulary.py).
"""

from __future__ import annotations

from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    FailureError,
    TimeoutType,
    is_cancelled_exception,
)
from temporalio.exceptions import TimeoutError as ActivityTimeout

from compiler.runtime.errors import failure_details
from compiler.runtime.failures import RunFailed
from compiler.runtime.progress import Progress
from vocabulary import BACKOFFS, RETRY_BLOCK_DEFAULTS

MAX_LOST_WORKERS = 5


def backoff_seconds(attempt: int, backoff: str, initial: float, multiplier: float, maximum: float) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based).

    exponential: initial * multiplier ** (attempt - 1); linear: initial *
    attempt; none: 0. A positive `maximum` caps the wait.
    """
    if backoff == "none":
        return 0.0
    delay = initial * attempt if backoff == "linear" else initial * multiplier ** (attempt - 1)
    return float(min(delay, maximum) if maximum > 0 else delay)


def error_text(error: BaseException) -> str:
    """The failure and its causes as one line, outermost first.

    Temporal wraps a failed activity in ActivityError ("Activity task
    failed") and a failed child in ChildWorkflowError; the useful text is in
    the cause chain, so every distinct message along it is kept.
    """
    messages: list[str] = []
    current: BaseException | None = error
    while current is not None:
        message = current.message if isinstance(current, FailureError) else str(current)
        if message and message not in messages:
            messages.append(message)
        current = current.__cause__
    return ": ".join(messages) or type(error).__name__


class RetryBlock:
    """The state of one run of a retry block."""

    def __init__(
        self,
        progress: Progress,
        key: str,
        label: str,
        *,
        max_attempts: int = RETRY_BLOCK_DEFAULTS["max_attempts"],
        backoff: str = RETRY_BLOCK_DEFAULTS["backoff"],
        initial_interval: float = RETRY_BLOCK_DEFAULTS["initial_interval"],
        multiplier: float = RETRY_BLOCK_DEFAULTS["multiplier"],
        max_interval: float = RETRY_BLOCK_DEFAULTS["max_interval"],
    ) -> None:
        if backoff not in BACKOFFS:
            raise ValueError(f"retry block {key!r}: backoff must be one of {', '.join(BACKOFFS)}, not {backoff!r}")
        self.progress, self.key, self.label = progress, key, label
        self.max_attempts = max(int(max_attempts), 1)
        self.backoff, self.initial_interval = backoff, initial_interval
        self.multiplier, self.max_interval = multiplier, max_interval
        self.attempt = 1
        self.last_error: str | None = None
        self.error: dict | None = None
        self.delay = 0.0
        self.lost_workers = 0

    def worker_lost(self, failure: BaseException) -> bool:
        """Whether the attempt stopped because its worker was lost (a heartbeat timeout), not because it failed.

        True means: run the same attempt again. Counted, so that from the
        MAX_LOST_WORKERS-th time on such a timeout is a failed attempt.
        """
        timed_out = isinstance(failure, ActivityError) and isinstance(failure.cause, ActivityTimeout)
        if not timed_out or failure.cause.type != TimeoutType.HEARTBEAT or self.lost_workers >= MAX_LOST_WORKERS:
            return False
        self.lost_workers += 1
        return True

    def failed(self, failure: BaseException) -> None:
        """Record a failed attempt and set `delay`; raises ApplicationError when no attempt is left.

        A step cancelled because the workflow is being cancelled is not retried, nor is a fail node's
        failure (it ends the run): the failure goes on.
        """
        if is_cancelled_exception(failure) or isinstance(failure, RunFailed):
            raise failure
        self.last_error = error_text(failure)
        self.error = {
            **failure_details(failure, self.progress.failed_step(failure) or self.key),
            "attempt": self.attempt,
        }
        if self.attempt >= self.max_attempts:
            raise ApplicationError(
                f"{self.label}: gave up after {self.attempt} attempt{'s' * (self.attempt > 1)}; "
                f"last error: {self.last_error}",
                type="RetryBlockExhausted",
                non_retryable=True,
            ) from failure
        self.delay = backoff_seconds(
            self.attempt, self.backoff, self.initial_interval, self.multiplier, self.max_interval
        )
        self.progress.retrying(self.key, self.attempt + 1)
