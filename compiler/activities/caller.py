"""Which project an activity works for: the one whose task queue it runs on.

Every project's workflows and activities run on the project's own task
queue, ``<uuid8>-<slug>-queue`` (projects/models.py; the slug cannot change
once the project exists), so the queue in ``activity.info()`` names the
calling project without trusting anything in the workflow input. Activities
that serve one project only (MCP servers, compiler/activities/mcp_access.py;
workspaces, compiler/activities/files.py) ask here.
"""

from __future__ import annotations

import re

from temporalio import activity

TASK_QUEUE = re.compile(r"[0-9a-f]{8}-(?P<slug>[-a-zA-Z0-9_]+)-queue")


def project_of_queue(task_queue: str) -> str:
    """The project slug in a project task queue's name; '' for a queue that is no project's."""
    match = TASK_QUEUE.fullmatch(task_queue)
    return match.group("slug") if match else ""


def calling_project() -> str:
    """The slug of the project whose task queue the running activity is on ('' for no project's queue)."""
    return project_of_queue(activity.info().task_queue)
