"""Deploy a project: validate, compile, store an immutable build, make it current.

The protocol with workers (see docs/operations.md):

1. `deploy_project` chooses a revision per workflow (compiler/builds/selection.py):
   the draft when it validates, else the revision the newest build has,
   else none; `strict` refuses the deploy, writing nothing, when any draft
   has errors. The build stores the chosen revisions and their documents.
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
from compiler.builds.selection import Selection, record_graphs, select_revisions
from compiler.builds.versioning import set_current_version
from compiler.diagnostics import Diagnostic
from compiler.models import Deployment, DeploymentStatus, newest_deployment
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
    # Per workflow, which revision the build took and why ("gate: revision 3 (changed)").
    workflows: list[str] = field(default_factory=list)

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


def deploy_project(
    project: Project, user, *, strict: bool = False, activation_wait: float = DEFAULT_ACTIVATION_WAIT
) -> DeployResult:
    """Deploy the chosen revision of every workflow of `project`; see the module docstring for the steps.

    `strict` refuses the deploy, writing nothing, when any draft has errors.
    Raises `temporal.TemporalUnavailable` (before writing anything) when
    Temporal cannot be reached for the replay check.
    """
    newest = newest_deployment(project)
    selection = select_revisions(project, newest)
    diagnostics, errors = selection.diagnostics(), selection.draft_errors()
    if strict and errors:
        return DeployResult(None, False, diagnostics, message=_refusal(errors, strict=True))
    sources = selection.sources
    if not sources:
        message = _refusal(errors) if errors else f"'{project.name}' has no workflows to deploy."
        return DeployResult(None, False, diagnostics, message=message, workflows=selection.lines({}, ""))

    build_id = build_id_for(sources)
    changed = changes_between(newest.sources if newest else {}, sources)
    lines = selection.lines(changed, newest.build_id if newest else "")
    if newest is not None and newest.build_id == build_id:
        # The same code; a trigger or layout edit still reaches the build's graphs, which schedules follow.
        record_graphs(newest, selection)
        return DeployResult(
            newest,
            False,
            diagnostics,
            changed,
            message=f"Nothing changed: build {build_id} is already {newest.status}.",
            schedules=_sync_schedules(project, newest),
            workflows=lines,
        )

    return _ship(
        project,
        sources,
        changed,
        lambda report: _store(project, user, build_id, selection, changed, report),
        activation_wait,
        diagnostics=diagnostics,
        lines=lines,
    )


def rollback_project(
    project: Project, user, build_id: str, *, activation_wait: float = DEFAULT_ACTIVATION_WAIT
) -> DeployResult:
    """Make an earlier build the newest again: its code and the graphs it stored, whatever the drafts are now.

    Runs of the build it replaces keep running there (it drains); new runs,
    run forms and schedules follow the build rolled back to.
    """
    deployment = Deployment.objects.filter(project=project, build_id=build_id).first()
    if deployment is None:
        known = ", ".join(project.deployments.values_list("build_id", flat=True)) or "none"
        return DeployResult(
            None, False, message=f"Not deployed: '{project.name}' has no build {build_id} (builds: {known})."
        )
    newest = newest_deployment(project)
    changed = changes_between(newest.sources if newest else {}, deployment.sources)
    revisions = dict(deployment.graphs.values_list("identifier", "revision_number"))
    lines = [f"{i}: revision {revisions.get(i, '?')} of build {build_id} ({change})" for i, change in changed.items()]
    if newest is not None and newest.pk == deployment.pk:
        return DeployResult(
            deployment,
            False,
            changed=changed,
            message=f"Nothing changed: build {build_id} is already {deployment.status}.",
            workflows=lines,
        )

    def store(report: ReplayReport) -> tuple[Deployment, bool]:
        deployment.redeploy(changed=changed, replay_report=report.as_dict(), diagnostics=deployment.diagnostics)
        return deployment, False

    return _ship(project, deployment.sources, changed, store, activation_wait, lines=lines)


def _ship(project, sources, changed, store, activation_wait, *, diagnostics=None, lines=()) -> DeployResult:
    """Import the code, replay running executions against it, store the build (`store`), make it current."""
    try:
        workflows = load_workflows(sources)
    except LoaderError as problem:
        message = f"Not deployed: the generated code does not import ({problem}); this is a compiler bug."
        return DeployResult(None, False, diagnostics or {}, changed, message=message, workflows=list(lines))
    temporal.run(temporal.get_client())  # unreachable: raise now, before anything is written
    report = _replay(project, workflows, changed)
    deployment, created = store(report)
    if _activate(project, deployment.build_id, activation_wait):
        deployment.promote()
    deployment.refresh_from_db()
    schedules = _sync_schedules(project, deployment)
    summary = _summary(deployment, created)
    return DeployResult(deployment, created, diagnostics or {}, changed, report, summary, schedules, list(lines))


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


def _refusal(errors: list[Diagnostic], *, strict: bool = False) -> str:
    why = "strict deploy: " if strict else ""
    return f"Not deployed: {why}{len(errors)} error(s) must be fixed first; nothing was changed."


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


def _store(project, user, build_id, selection: Selection, changed, report) -> tuple[Deployment, bool]:
    """A new pending row, or (a rollback to a build deployed before) the old row made pending again.

    Either way the build records the revisions and documents it was made of.
    """
    diagnostics = selection.shipped_diagnostics()
    reports = {
        "changed": changed,
        "replay_report": report.as_dict(),
        "diagnostics": {identifier: [d.as_dict() for d in found] for identifier, found in diagnostics.items()},
    }
    with transaction.atomic():
        deployment = Deployment.objects.filter(project=project, build_id=build_id).first()
        created = deployment is None
        if created:
            deployment = Deployment.objects.create(
                project=project,
                build_id=build_id,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                sources=selection.sources,
                status=DeploymentStatus.PENDING,
                **reports,
            )
        else:
            deployment.redeploy(**reports)
        record_graphs(deployment, selection)
        return deployment, created


def _summary(deployment: Deployment, created: bool) -> str:
    verb = "Deployed" if created else "Redeployed"
    if deployment.status == DeploymentStatus.CURRENT:
        return f"{verb} build {deployment.build_id}; it is current, new runs use it."
    return (
        f"{verb} build {deployment.build_id}; it is pending until a worker serves it "
        f"(start one with `python manage.py run_worker {deployment.project.slug}` or `make run`)."
    )
