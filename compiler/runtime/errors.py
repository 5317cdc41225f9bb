"""What an error path knows of the failure it handles: the `error` name of expressions.

After an error edge, and in a retry block's slots once an attempt failed,
expressions read `error`, a plain dict (JSON, like every other value):

    {"step": <key of the node that failed>, "type": <error type>, "message": <its message>,
     "attempt": <attempt that failed, None when the failure does not tell>}

The type and message are the first application error along the failure's
causes: what the activity raised (Temporal wraps it in "Activity task
failed"), what a child workflow failed with (a fail node's type), or a
container's own error (RetryBlockExhausted, ChildFailed); else the
innermost cause (a timeout: `TimeoutError`). Pure, for the workflow sandbox.
"""

from __future__ import annotations

from temporalio.exceptions import ActivityError, ApplicationError, FailureError, RetryState


def failure_details(failure: BaseException, step: str, max_attempts: int | None = None) -> dict:
    """`error` for a failure of `step`; `max_attempts` (its retry policy's) is the attempt when Temporal ran out."""
    found = _first_application_error(failure)
    if found is not None:
        kind, message = found.type or "ApplicationError", found.message
    else:
        innermost = failure
        while innermost.__cause__ is not None:
            innermost = innermost.__cause__
        kind = type(innermost).__name__
        message = innermost.message if isinstance(innermost, FailureError) else str(innermost)
    ran_out = isinstance(failure, ActivityError) and failure.retry_state == RetryState.MAXIMUM_ATTEMPTS_REACHED
    return {"step": step, "type": kind, "message": message, "attempt": max_attempts if ran_out else None}


def _first_application_error(failure: BaseException) -> ApplicationError | None:
    current: BaseException | None = failure
    while current is not None and not isinstance(current, ApplicationError):
        current = current.__cause__
    return current
