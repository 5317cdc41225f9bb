"""A build made the way deploy makes it, for tests that need a build but no Temporal (the celery backend)."""

from __future__ import annotations

from compiler.builds.loader import build_id_for
from compiler.builds.selection import record_graphs, select_revisions
from compiler.models import Deployment, newest_deployment


def make_build(project) -> Deployment:
    """The project's chosen revisions compiled and stored with their graphs, as `deploy_project` stores them.

    Same code as an existing build: that build, its graphs brought up to date
    (a trigger edit), like a deploy that changed nothing in the code.
    """
    selection = select_revisions(project, newest_deployment(project))
    deployment, _ = Deployment.objects.get_or_create(
        project=project, build_id=build_id_for(selection.sources), defaults={"sources": selection.sources}
    )
    record_graphs(deployment, selection)
    return deployment
