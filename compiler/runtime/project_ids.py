"""Workflow ids confined to one project: `<uuid8>:<id>`.

All projects share one Temporal namespace (docs/decisions.md, "Projects
share a namespace; workflow ids carry the project"), so a project's
workflow ids start with the first eight hex digits of the project's uuid
(the same digits as its task queue) and a `:`, which ids given by users may
not contain. Every run the studio starts carries the prefix (compiler/runs/control.py,
schedules); generated code passes every id it signals or starts as a child
through `in_project()`, which takes the prefix from the running workflow's
own id. So an id computed at run time can only name a workflow of the same
project: an id that already carries this project's prefix is kept, any
other (with another project's prefix too) gets this project's prefix in
front.

Pure functions and the workflow API only: this runs inside the workflow
sandbox and imports nothing from Django or the project.
"""

from __future__ import annotations

import re

from temporalio import workflow
from temporalio.exceptions import ApplicationError

SEPARATOR = ":"
PREFIX = re.compile(r"[0-9a-f]{8}:")


def project_prefix(project_uuid_hex: str) -> str:
    """The prefix of a project's workflow ids, from its uuid's hex digits."""
    return f"{project_uuid_hex[:8]}{SEPARATOR}"


def prefix_of(workflow_id: str) -> str | None:
    """The project prefix `workflow_id` starts with, or None if it has none."""
    match = PREFIX.match(workflow_id)
    return match.group() if match else None


def scoped(workflow_id: str, prefix: str) -> str:
    """`workflow_id` inside the project of `prefix`; never prefixed twice."""
    return workflow_id if workflow_id.startswith(prefix) else f"{prefix}{workflow_id}"


def unprefixed(workflow_id: str) -> str:
    """`workflow_id` without its project prefix: how a page inside the project shows it."""
    return workflow_id.removeprefix(prefix_of(workflow_id) or "")


def caller_prefix(own_id: str) -> str:
    """The prefix of the calling workflow's own id (`own_id`).

    A workflow whose id has no prefix was not started by the studio; it
    gets no way to reach other workflows (a non-retryable failure) rather
    than an unscoped one.
    """
    prefix = prefix_of(own_id)
    if prefix is None:
        raise ApplicationError(
            f"workflow id {own_id!r} carries no project prefix, so it may not signal or start other workflows; "
            "start runs from Workflow Studio (UI, API, start_workflow command or a schedule)",
            type="WorkflowOutsideProject",
            non_retryable=True,
        )
    return prefix


def in_project(workflow_id: object) -> str:
    """A target id (signal, child, spawner item) inside the running workflow's project.

    An id expression that gives no text fails the workflow with a TypeError
    (one of the expression errors generated workflows fail on, compiler/emit/module.py).
    """
    if not isinstance(workflow_id, str):
        raise TypeError(f"a workflow id must be text, not {type(workflow_id).__name__}")
    return scoped(workflow_id, caller_prefix(workflow.info().workflow_id))
