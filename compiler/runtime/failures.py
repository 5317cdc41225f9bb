"""Error edges do not catch the workflow's own cancellation.

When a workflow is cancelled, the step it awaits is cancelled too and
Temporal reports that as a FailureError (an ActivityError or
ChildWorkflowError caused by CancelledError). Caught by an `error` edge's
`except FailureError`, it would run the error path and the workflow would
end failed or completed instead of cancelled (e.g. a child cancelled by its
parent's `cancel_children`). So each such handler (compiler/emit/flow.py)
calls `reraise_run_ending` first.

A fail node's failure (`RunFailed`) goes on too: it ends the run, so
neither an error edge nor a retry block (compiler/runtime/retry.py) takes it.

Only the workflow's own cancellation and a fail node go on: a child cancelled while this
workflow runs on (its `cancel_children` action, or someone cancelling the
child) is a failed step whose error edge is taken. Retry blocks are
stricter (compiler/runtime/retry.py): they never retry a cancelled step.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError, is_cancelled_exception


class RunFailed(ApplicationError):
    """Raised by a fail node: ends the run as failed with the node's error type, message and details.

    An ApplicationError, so Temporal fails the workflow with that type (a
    parent sees a failed child); its own class, so error edges and retry
    blocks let it through instead of taking it as a failed step.
    """


def reraise_run_ending(failure: BaseException) -> None:
    """Raise `failure` again when it ends the run (this workflow being cancelled, a fail node);
    otherwise return so the error path runs."""
    if isinstance(failure, RunFailed):
        raise failure
    if is_cancelled_exception(failure) and workflow.cancellation_reason() is not None:
        raise failure


# The name generated code used before builds imported `reraise_run_ending`; builds deployed then keep
# their sources (compiler/builds/loader.py), so workers must still import it.
reraise_cancellation = reraise_run_ending
