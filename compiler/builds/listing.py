"""A project's builds as the builds page lists them: who, when, status, the revision of each workflow, replay.

Two queries whatever the number of builds: the deployments (without their
sources) and the revision numbers their graphs record (without the documents).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import zip_longest

from compiler.builds.replay import ReplayReport
from compiler.models import BuildGraph, Deployment, DeploymentStatus, newest_deployment


@dataclass(frozen=True)
class BuildWorkflow:
    identifier: str
    revision: int | None  # None: removed by this build, or a build made before builds kept their graphs
    change: str  # added / changed / removed / unchanged, against the build deployed before it


@dataclass(frozen=True)
class BuildSummary:
    deployment: Deployment
    workflows: list[BuildWorkflow]
    replay_lines: list[str]
    newest: bool  # what new runs get (or will, once a worker serves it): nothing to roll back to
    previous_build_id: str = ""  # the build listed after it (deployed before), to compare with


def project_builds(project) -> list[BuildSummary]:
    """Every build of `project`, newest deploy first."""
    deployments = list(Deployment.objects.filter(project=project).select_related("created_by").defer("sources"))
    revisions: dict[int, dict[str, int]] = defaultdict(dict)
    rows = BuildGraph.objects.filter(deployment__project=project).values_list(
        "deployment_id", "identifier", "revision_number"
    )
    for deployment_id, identifier, number in rows:
        revisions[deployment_id][identifier] = number
    newest = newest_deployment(project)
    return [
        BuildSummary(
            deployment=deployment,
            workflows=_workflows(revisions[deployment.pk], deployment.changed),
            replay_lines=ReplayReport(**deployment.replay_report).lines() if deployment.replay_report else [],
            newest=newest is not None and newest.pk == deployment.pk,
            previous_build_id=older.build_id if older else "",
        )
        for deployment, older in zip_longest(deployments, deployments[1:])
    ]


def _workflows(revisions: dict[str, int], changed: dict[str, str]) -> list[BuildWorkflow]:
    return [BuildWorkflow(i, revisions.get(i), changed.get(i, "")) for i in sorted(set(revisions) | set(changed))]


def latest_builds(project) -> list[Deployment]:
    """The project page's build card: the current build, after a newer deploy that is not current yet (pending)
    or never will be (failed); two queries, without the sources."""
    builds = Deployment.objects.filter(project=project).select_related("created_by").defer("sources")
    current = builds.filter(status=DeploymentStatus.CURRENT).first()
    unsettled = builds.filter(status__in=[DeploymentStatus.PENDING, DeploymentStatus.FAILED])
    newer = unsettled.order_by("-deployed", "-pk").first()
    if newer is not None and current is not None and newer.deployed <= current.deployed:
        newer = None
    return [build for build in (newer, current) if build is not None]
