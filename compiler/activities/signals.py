"""The ``signal_with_start`` built-in: signal a workflow, starting it if it is not running.

Temporal's signal-with-start is atomic: a running execution with that id just
gets the signal; otherwise a new one starts with ``input`` and receives the
signal before its first task. This is how the mcp-poller reaches the
continuous builder even when the builder is down.

The target stays in the calling workflow's project: its id gets the
caller's project prefix (compiler/runtime/project_ids.py) and it starts on
the caller's own task queue; another queue is refused, because a queue
decides which project's worker runs the workflow.
"""

from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from compiler.activities.registry import register_activity
from compiler.runtime.project_ids import caller_prefix, scoped


@register_activity(
    name="signal_with_start",
    description="Send a signal to a workflow id, starting the workflow first if it is not running.",
)
async def signal_with_start(
    workflow_id: str,
    workflow: str,
    signal: str,
    payload: Any = None,
    input: Any = None,
    task_queue: str | None = None,
) -> dict:
    """``task_queue`` may only name the queue of the worker running this activity (the default).

    ``input`` and ``payload`` are passed as the single argument of the
    workflow and of the signal handler; ``None`` passes no argument.
    """
    info = activity.info()
    if task_queue and task_queue != info.task_queue:
        raise ApplicationError(
            f"signal_with_start may only start workflows on its own project's task queue "
            f"({info.task_queue!r}), not {task_queue!r}; leave task_queue out",
            type="TaskQueueOutsideProject",
            non_retryable=True,
        )
    handle = await activity.client().start_workflow(
        workflow,
        args=[] if input is None else [input],
        id=scoped(str(workflow_id), caller_prefix(info.workflow_id)),
        task_queue=info.task_queue,
        start_signal=signal,
        start_signal_args=[] if payload is None else [payload],
    )
    return {"workflow_id": handle.id, "run_id": handle.result_run_id}
