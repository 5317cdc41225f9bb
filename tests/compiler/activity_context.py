"""Run an activity function as a project's worker runs it: on the project's task queue.

Activities that serve only their own project (MCP servers, compiler/activities/mcp_access.py)
read the project from `activity.info().task_queue`; Temporal's ActivityEnvironment gives
them that context without a server.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable
from typing import Any

from temporalio.testing import ActivityEnvironment

from projects.models import task_queue_name

PROJECT = "tests"


def run_in_project(function: Callable, *args: Any, project: str = PROJECT, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` as an activity of the project with slug `project`."""
    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, task_queue=task_queue_name(uuid.uuid4(), project))
    return asyncio.run(environment.run(function, *args, **kwargs))
