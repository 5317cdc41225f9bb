"""Error edges do not catch the workflow's own cancellation.

When a workflow is cancelled, the step it awaits is cancelled too and
Temporal reports that as a FailureError (an ActivityError or
ChildWorkflowError caused by CancelledError). Caught by an `error` edge's
`except FailureError`, it would run the error path and the workflow would
end failed or completed instead of cancelled (e.g. a child cancelled by its
parent's `cancel_children`). So each such handler (compiler/emit/flow.py)
calls `reraise_cancellation` first.

Only the workflow's own cancellation goes on: a child cancelled while this
workflow runs on (its `cancel_children` action, or someone cancelling the
child) is a failed step whose error edge is taken. Retry blocks are
stricter (compiler/runtime/retry.py): they never retry a cancelled step.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import is_cancelled_exception


def reraise_cancellation(failure: BaseException) -> None:
    """Raise `failure` again when it is this workflow being cancelled; otherwise return so the error path runs."""
    if is_cancelled_exception(failure) and workflow.cancellation_reason() is not None:
        raise failure
