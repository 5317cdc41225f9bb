"""The ``signal_with_start`` built-in: signal a workflow, starting it if it is not running.

Temporal's signal-with-start is atomic: a running execution with that id just
gets the signal; otherwise a new one starts with ``input`` and receives the
signal before its first task. This is how the mcp-poller reaches the
continuous builder even when the builder is down.
"""

from typing import Any

from temporalio import activity

from compiler.activities.registry import register_activity


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
    """``task_queue`` defaults to the queue of the worker running this activity.

    ``input`` and ``payload`` are passed as the single argument of the
    workflow and of the signal handler; ``None`` passes no argument.
    """
    handle = await activity.client().start_workflow(
        workflow,
        args=[] if input is None else [input],
        id=workflow_id,
        task_queue=task_queue or activity.info().task_queue,
        start_signal=signal,
        start_signal_args=[] if payload is None else [payload],
    )
    return {"workflow_id": handle.id, "run_id": handle.result_run_id}
