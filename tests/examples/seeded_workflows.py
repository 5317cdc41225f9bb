"""The seeded Package Management workflows, compiled and loaded as a worker would load them.

The graphs come from examples.package_management.graphs, are imported through
workflows.services.workflow_import (the seed's path), compiled with
compiler.project_reader.compile_project and imported from disk with
compiler.builds.loader, so the end-to-end tests run exactly the code a deploy ships.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from temporalio.worker import Worker

from compiler.activities.loading import load_configured_activities
from compiler.activities.registry import temporal_activities
from compiler.builds.loader import load_workflows
from compiler.project_reader import compile_project
from examples.package_management.graphs import workflow_documents
from projects.models import task_queue_name
from tests.examples.seeded import PROJECT_SLUG
from tests.factories import make_project, make_user
from workflows.services import workflow_import


def seeded_workflows(directory: Path) -> dict[str, type]:
    """Workflow classes of the four seeded workflows, by identifier (needs the database).

    The project has the seed's slug, the one the `packages` MCP server is configured for.
    """
    owner = make_user()
    project = make_project(owner, name="Package Management")
    assert project.slug == PROJECT_SLUG
    for document in workflow_documents():
        workflow_import(project=project, user=owner, document=document)
    results = compile_project(project)
    errors = {i: [d.line() for d in r.diagnostics if d.is_error] for i, r in results.items() if r.source is None}
    assert not errors, errors
    return load_workflows({identifier: result.source for identifier, result in results.items()}, directory)


def package_worker(env, workflows: dict[str, type]) -> Worker:
    """A Worker on a fresh task queue of the seed's form with the seeded workflows, the built-in and the
    example activities (start runs with `tests.examples.seeded.in_scope` ids)."""
    load_configured_activities()
    return Worker(
        env.client,
        task_queue=task_queue_name(uuid.uuid4(), PROJECT_SLUG),
        workflows=list(workflows.values()),
        activities=temporal_activities(),
    )
