"""Deploy a project: validate, compile, store an immutable build, make it current.

The protocol with workers (see docs/operations.md):

1. `deploy_project` compiles every workflow; any error refuses the deploy
   and writes nothing.
2. The build id is a content hash of the generated sources; the same
   sources as the newest build is a no-op.
3. The replay check runs the histories of running executions of changed
   workflows against the new code (a report; never a refusal, because runs
   stay PINNED to the build they started on).
4. The `Deployment` row is stored as `pending`.
5. Temporal only accepts a build as current once a worker of that build
   has polled. `run_worker` notices pending builds within a couple of
   seconds, starts their worker and sets them current (Worker Versioning's
   SetWorkerDeploymentCurrentVersion); the DB row then becomes `current`
   and the previous current build `draining`. Deploy also tries to set it
   current itself for a few seconds, so with a worker running the deploy
   returns with the build already current; without one it stays pending
   and becomes current when a worker starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from compiler import temporal
from compiler.builds.loader import LoaderError, build_id_for, load_workflows
from compiler.builds.replay import ReplayReport, replay_check
from compiler.builds.versioning import set_current_version
from compiler.diagnostics import Diagnostic
from compiler.models import Deployment, DeploymentStatus, newest_deployment
from compiler.project_reader import compile_project
from compiler.schedules.service import sync_schedules
from projects.models import Project

ADDED, CHANGED, REMOVED, UNCHANGED = "added", "changed", "removed", "unchanged"
DEFAULT_ACTIVATION_WAIT = 5.0


@dataclass
class DeployResult:
    """What a deploy did.

    `deployment` is None when the deploy was refused (`message` says why,
    `diagnostics` holds the compiler's findings per workflow); on a no-op it
    is the existing build and `created` is False, as for a rollback.
    """

    deployment: Deployment | None
    created: bool
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)
    changed: dict[str, str] = field(default_factory=dict)
    replay_report: ReplayReport = field(default_factory=ReplayReport)
    message: str = ""
    # What happened to the cron schedules ("schedule created: <id>", ...).
    schedules: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.deployment is not None


def changes_between(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """Per workflow identifier: added / changed / removed / unchanged."""
    changes = {}
    for identifier in sorted(set(old) | set(new)):
        if identifier not in old:
            changes[identifier] = ADDED
        elif identifier not in new:
            changes[identifier] = REMOVED
        else:
            changes[identifier] = UNCHANGED if old[identifier] == new[identifier] else CHANGED
    return changes


def compile_sources(project: Project) -> tuple[dict[str, str], dict[str, list[Diagnostic]]]:
    """Generated source per workflow, and diagnostics per workflow (errors mean: do not deploy)."""
    results = compile_project(project)
    sources = {identifier: result.source for identifier, result in results.items() if result.source}
    diagnostics = {identifier: list(result.diagnostics) for identifier, result in results.items() if result.diagnostics}
    return sources, diagnostics


def deploy_project(project: Project, user, *, activation_wait: float = DEFAULT_ACTIVATION_WAIT) -> DeployResult:
    """Deploy every workflow of `project`; see the module docstring for the steps.

    Raises `temporal.TemporalUnavailable` (before writing anything) when
    Temporal cannot be reached for the replay check.
    """
    sources, diagnostics = compile_sources(project)
    errors = [d for found in diagnostics.values() for d in found if d.is_error]
    if errors:
        return DeployResult(None, False, diagnostics, message=_refusal(errors))
    if not sources:
        return DeployResult(None, False, diagnostics, message=f"'{project.name}' has no workflows to deploy.")

    build_id = build_id_for(sources)
    newest = newest_deployment(project)
    changed = changes_between(newest.sources if newest else {}, sources)
    if newest is not None and newest.build_id == build_id:
        return DeployResult(
            newest,
            False,
            diagnostics,
            changed,
            message=f"Nothing changed: build {build_id} is already {newest.status}.",
            # A trigger edit may leave the generated code as it was: schedules still follow the graph.
            schedules=_sync_schedules(project, newest),
        )

    try:
        workflows = load_workflows(sources)
    except LoaderError as problem:
        message = f"Not deployed: the generated code does not import ({problem}); this is a compiler bug."
        return DeployResult(None, False, diagnostics, changed, message=message)
    temporal.run(temporal.get_client())  # unreachable: raise now, before anything is written
    report = _replay(project, workflows, changed)
    deployment, created = _store(project, user, build_id, sources, diagnostics, changed, report)
    if _activate(project, build_id, activation_wait):
        deployment.promote()
    deployment.refresh_from_db()
    schedules = _sync_schedules(project, deployment)
    return DeployResult(deployment, created, diagnostics, changed, report, _summary(deployment, created), schedules)


def _sync_schedules(project: Project, deployment: Deployment) -> list[str]:
    """Cron triggers -> schedules (compiler/schedules/service.py); a Temporal hiccup is reported, not raised."""
    try:
        return sync_schedules(project, deployment).lines()
    except temporal.TemporalUnavailable as error:
        return [f"schedules not updated: {error}; deploy again to retry"]


def _activate(project: Project, build_id: str, wait: float) -> bool:
    """Try to make the build Temporal's current version; False leaves it pending for a worker to finish."""
    try:
        return temporal.call(
            lambda client: set_current_version(client, project, build_id, wait=wait),
            timeout=wait + temporal.DEFAULT_TIMEOUT,
        )
    except temporal.TemporalUnavailable:
        return False


def _refusal(errors: list[Diagnostic]) -> str:
    return f"Not deployed: {len(errors)} error(s) must be fixed first; nothing was changed."


def _replay(project: Project, workflows: dict[str, type], changed: dict[str, str]) -> ReplayReport:
    to_check = [identifier for identifier, change in changed.items() if change == CHANGED]
    if not to_check:
        return ReplayReport()
    return temporal.call(
        lambda client: replay_check(
            client,
            task_queue=project.task_queue,
            workflows=workflows,
            changed=to_check,
        ),
        timeout=120,
    )


def _store(project, user, build_id, sources, diagnostics, changed, report) -> tuple[Deployment, bool]:
    """A new pending row, or (a rollback to a build deployed before) the old row made pending again."""
    reports = {
        "changed": changed,
        "replay_report": report.as_dict(),
        "diagnostics": {identifier: [d.as_dict() for d in found] for identifier, found in diagnostics.items()},
    }
    with transaction.atomic():
        existing = Deployment.objects.filter(project=project, build_id=build_id).first()
        if existing is not None:
            existing.redeploy(**reports)
            return existing, False
        deployment = Deployment.objects.create(
            project=project,
            build_id=build_id,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            sources=sources,
            status=DeploymentStatus.PENDING,
            **reports,
        )
        return deployment, True


def _summary(deployment: Deployment, created: bool) -> str:
    verb = "Deployed" if created else "Redeployed"
    if deployment.status == DeploymentStatus.CURRENT:
        return f"{verb} build {deployment.build_id}; it is current, new runs use it."
    return (
        f"{verb} build {deployment.build_id}; it is pending until a worker serves it "
        f"(start one with `python manage.py run_worker {deployment.project.slug}` or `make run`)."
    )
