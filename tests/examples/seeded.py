"""The seeded Package Management project, compiled and loaded as a worker would, for end-to-end tests.

`seed_package_management` imports the four graphs through the validated
import path; `compile_project` compiles them; `compiler.loader` writes and
imports the modules; the Worker registers every configured activity (the
built-ins and the example activities), as `run_worker` does. Each test
passes its own copy of the sample workspace as `workspace_root`.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from pathlib import Path

from django.core.management import call_command
from temporalio.worker import Worker

from compiler.activities.loading import load_configured_activities
from compiler.loader import load_workflows
from compiler.pipeline import compile_project
from projects.models import Project

PROJECT_SLUG = "package-management"


def seeded_workflows(directory: Path, *identifiers: str) -> dict[str, type]:
    """Seed the project and load the named workflows (their compile errors, if any, fail the test)."""
    call_command("seed_package_management", stdout=io.StringIO())
    results = compile_project(Project.objects.get(slug=PROJECT_SLUG))
    chosen = {identifier: results[identifier] for identifier in identifiers}
    errors = {i: [d.line() for d in r.diagnostics if d.is_error] for i, r in chosen.items() if not r.ok}
    assert not errors, errors
    return load_workflows(chosen, directory / "generated")


def worker_activities() -> list[Callable]:
    return [spec.temporal_activity for spec in load_configured_activities()]


def worker(env, workflows: dict[str, type], task_queue: str | None = None) -> Worker:
    return Worker(
        env.client,
        task_queue=task_queue or f"pm-{uuid.uuid4()}",
        workflows=list(workflows.values()),
        activities=worker_activities(),
    )
