"""The seeded Package Management project, compiled and loaded as a worker would, for end-to-end tests.

`seed_package_management` imports the four graphs through the validated
import path; `compile_project` compiles them; `compiler.builds.loader` writes and
imports the modules; the Worker registers every configured activity (the
built-ins and the example activities), as `run_worker` does. Each test
passes its own copy of the sample workspace as `workspace_root`, in the
project's workspace directory (`project_workspace`).

The worker's task queue has a project's form (`<uuid8>-package-management-queue`)
and runs are started with ids in that project's scope (`in_scope`), as the
studio does: the MCP servers and the id scoping check both.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from temporalio.worker import Worker

from compiler.activities.loading import load_configured_activities
from compiler.builds.loader import load_workflows
from compiler.project_reader import compile_project
from compiler.runtime.project_ids import project_prefix
from projects.models import Project, task_queue_name

PROJECT_SLUG = "package-management"


def seeded_workflows(directory: Path, *identifiers: str) -> dict[str, type]:
    """Seed the project and load the named workflows (their compile errors, if any, fail the test)."""
    call_command("seed_package_management", stdout=io.StringIO())
    results = compile_project(Project.objects.get(slug=PROJECT_SLUG))
    chosen = {identifier: results[identifier] for identifier in identifiers}
    errors = {i: [d.line() for d in r.diagnostics if d.is_error] for i, r in chosen.items() if not r.ok}
    assert not errors, errors
    return load_workflows({identifier: result.source for identifier, result in chosen.items()}, directory / "generated")


def project_workspace(tmp_path: Path, project: str = PROJECT_SLUG) -> Path:
    """This test's workspace root inside `project`'s workspace directory (WORKSPACE_BASE_DIR/<slug>),
    the only place the project's file activities accept; unique per test, like `tmp_path`."""
    return Path(settings.WORKSPACE_BASE_DIR) / project / tmp_path.name / "workspace"


def worker_activities() -> list[Callable]:
    return [spec.temporal_activity for spec in load_configured_activities()]


def worker(env, workflows: dict[str, type], task_queue: str | None = None) -> Worker:
    return Worker(
        env.client,
        task_queue=task_queue or task_queue_name(uuid.uuid4(), PROJECT_SLUG),
        workflows=list(workflows.values()),
        activities=worker_activities(),
    )


def in_scope(running: Worker, name: str) -> str:
    """The workflow id `name` in the scope of the project whose task queue `running` polls."""
    return f"{project_prefix(running.task_queue)}{name}"
