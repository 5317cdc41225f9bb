"""Cron triggers as schedules: kept in step with the deployed graphs on every deploy.

A start node with `trigger: cron` means "start this workflow on that
cron". Deploy calls `sync_schedules(project, deployment)`, which makes the
schedules match the deployed build: one per cron-triggered workflow,
created or updated (cron, timezone, overlap policy, input, workflow id),
and schedules of workflows whose trigger was removed are deleted.

Two backends, chosen by `settings.SCHEDULE_BACKEND`:

- "temporal" (default): Temporal Schedules, id `<deployment-name>--<workflow>`
  (the deployment name is `<uuid8>-<slug>`, so two databases sharing a
  namespace never touch each other's schedules). The runs they start get
  the project's prefixed workflow id, like every run (compiler/runs/control.py).
  Temporal fires them even while this app is down; pausing keeps the state
  across deploys.
- "celery": django-celery-beat `PeriodicTask` rows (compiler/schedules/celery_backend.py),
  visible and pausable in Django admin; celery beat fires
  `compiler.tasks.start_scheduled_workflow`, which starts the run through Temporal.

Both present the same `ScheduleView`s to the project page.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError, RPCStatusCode

from compiler import temporal
from compiler.models import Deployment
from compiler.project_reader import graphs_of_build
from compiler.runs.control import check_fields, run_id_in
from compiler.schedules.base import (
    NEXT_RUNS,
    CronTrigger,
    ScheduleNotFound,
    ScheduleView,
    SyncReport,
    schedule_id_for,
    schedule_prefix,
)
from projects.models import Project
from workflows.node_types.cron import describe_cron

OVERLAP = {
    "skip": ScheduleOverlapPolicy.SKIP,
    "buffer_one": ScheduleOverlapPolicy.BUFFER_ONE,
    "buffer_all": ScheduleOverlapPolicy.BUFFER_ALL,
    "cancel_other": ScheduleOverlapPolicy.CANCEL_OTHER,
    "terminate_other": ScheduleOverlapPolicy.TERMINATE_OTHER,
    "allow_all": ScheduleOverlapPolicy.ALLOW_ALL,
}


def cron_triggers(project: Project, deployment: Deployment) -> list[CronTrigger]:
    """The cron start nodes of the workflows in the build, read from the graphs it stored, not the drafts."""
    triggers = []
    for identifier, graph in sorted(graphs_of_build(deployment).items()):
        start = next(iter(graph.of_type("start")), None)
        if identifier not in deployment.sources or start is None:
            continue
        config = start.config
        if config.get("trigger") != "cron" or not config.get("cron"):
            continue
        triggers.append(
            CronTrigger(
                schedule_id=schedule_id_for(project, identifier),
                workflow=identifier,
                cron=config["cron"],
                timezone=config.get("timezone") or "UTC",
                overlap=config.get("overlap_policy") or "skip",
                input=dict(config.get("cron_input") or {}),
                workflow_id=run_id_in(project, config.get("workflow_id") or identifier),
                input_problem=_input_problem(config.get("input_fields") or [], config.get("cron_input") or {}),
            )
        )
    return triggers


def _input_problem(fields: list[dict], cron_input: dict) -> str:
    """The same check a manual start gets, so a cron_input that every scheduled run would fail on is reported."""
    try:
        check_fields(fields, cron_input, what="cron_input")
    except ValidationError as error:
        return "; ".join(f"{name}: {m}" for name, messages in error.message_dict.items() for m in messages)
    return ""


def _warnings(triggers: list[CronTrigger]) -> list[str]:
    return [
        f"scheduled runs of {t.workflow} would fail: cron_input does not fit its input fields ({t.input_problem})"
        for t in triggers
        if t.input_problem
    ]


def sync_schedules(project: Project, deployment: Deployment, *, interval: timedelta | None = None) -> SyncReport:
    """Create, update and delete the project's schedules to match `deployment`.

    `interval` replaces every cron with "every <interval>" (tests and demos
    that cannot wait a minute). Raises `temporal.TemporalUnavailable` for the
    Temporal backend when the server is away.
    """
    triggers = cron_triggers(project, deployment)
    if settings.SCHEDULE_BACKEND == "celery":
        from compiler.schedules.celery_backend import sync_periodic_tasks

        report = sync_periodic_tasks(project, triggers)
    else:
        report = temporal.call(lambda client: _sync_temporal(client, project, triggers, interval))
    report.warnings = _warnings(triggers)
    return report


async def _sync_temporal(
    client: Client, project: Project, triggers: list[CronTrigger], interval: timedelta | None
) -> SyncReport:
    report = SyncReport()
    prefix = schedule_prefix(project)
    existing = {entry.id async for entry in await client.list_schedules() if entry.id.startswith(prefix)}
    for trigger in triggers:
        schedule = _schedule(project, trigger, interval)
        try:
            await client.create_schedule(trigger.schedule_id, schedule)
            report.created.append(trigger.schedule_id)
        except ScheduleAlreadyRunningError:
            await client.get_schedule_handle(trigger.schedule_id).update(_keeping_pause_state(schedule))
            report.updated.append(trigger.schedule_id)
    for schedule_id in sorted(existing - {t.schedule_id for t in triggers}):
        await client.get_schedule_handle(schedule_id).delete()
        report.deleted.append(schedule_id)
    return report


def _schedule(project: Project, trigger: CronTrigger, interval: timedelta | None) -> Schedule:
    if interval is None:
        spec = ScheduleSpec(cron_expressions=[trigger.cron], time_zone_name=trigger.timezone)
    else:
        spec = ScheduleSpec(intervals=[ScheduleIntervalSpec(every=interval)])
    action = ScheduleActionStartWorkflow(
        trigger.workflow,
        trigger.input,
        id=trigger.workflow_id,
        task_queue=project.task_queue,
        # Read back by the project page: Temporal returns cron specs as calendars.
        memo={"cron": trigger.cron, "timezone": trigger.timezone},
    )
    state = (
        ScheduleState(paused=True, note="created paused (SCHEDULES_PAUSED_ON_CREATE)")
        if settings.SCHEDULES_PAUSED_ON_CREATE
        else ScheduleState()
    )
    return Schedule(action=action, spec=spec, policy=SchedulePolicy(overlap=OVERLAP[trigger.overlap]), state=state)


def _keeping_pause_state(schedule: Schedule):
    """An updater that replaces the schedule but keeps a pause someone set."""

    def update(current: ScheduleUpdateInput) -> ScheduleUpdate:
        schedule.state = current.description.schedule.state or ScheduleState()
        return ScheduleUpdate(schedule=schedule)

    return update


def list_schedules(project: Project) -> list[ScheduleView]:
    """The project's schedules with their next run times (Temporal's describe, or croniter for celery)."""
    if settings.SCHEDULE_BACKEND == "celery":
        from compiler.schedules.celery_backend import periodic_task_views

        return periodic_task_views(project)
    return temporal.call(lambda client: _temporal_views(client, project))


async def _temporal_views(client: Client, project: Project) -> list[ScheduleView]:
    prefix = schedule_prefix(project)
    ids = sorted([entry.id async for entry in await client.list_schedules() if entry.id.startswith(prefix)])
    views = []
    for schedule_id in ids:
        try:
            description = await client.get_schedule_handle(schedule_id).describe()
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                continue  # deleted since the (eventually consistent) list was read
            raise
        action = description.schedule.action
        memo = {
            key: client.data_converter.payload_converter.from_payloads([payload])[0]
            for key, payload in (action.memo or {}).items()
        }
        cron = memo.get("cron", "")
        recent = description.info.recent_actions
        paused = description.schedule.state.paused
        views.append(
            ScheduleView(
                schedule_id=schedule_id,
                workflow=action.workflow,
                cron=cron,
                timezone=memo.get("timezone", "UTC"),
                description=describe_cron(cron, fallback=f"cron {cron}") if cron else "custom interval",
                paused=paused,
                next_runs=[] if paused else list(description.info.next_action_times[:NEXT_RUNS]),
                recent_runs=[
                    action.action.workflow_id for action in recent[-NEXT_RUNS:] if hasattr(action.action, "workflow_id")
                ],
                last_run=recent[-1].started_at if recent else None,
                last_workflow_id=getattr(recent[-1].action, "workflow_id", "") if recent else "",
            )
        )
    return views


def pause_schedule(project: Project, workflow: str, *, paused: bool, note: str = "") -> None:
    """Pause or resume the workflow's schedule; `ScheduleNotFound` if it has none."""
    if settings.SCHEDULE_BACKEND == "celery":
        from compiler.schedules.celery_backend import set_enabled

        set_enabled(project, workflow, enabled=not paused)
        return

    async def change(client: Client) -> None:
        handle = client.get_schedule_handle(schedule_id_for(project, workflow))
        await (handle.pause(note=note or None) if paused else handle.unpause(note=note or None))

    _on_schedule(project, workflow, change)


def trigger_schedule(project: Project, workflow: str) -> None:
    """Start the scheduled workflow now, with the schedule's input and overlap policy."""
    if settings.SCHEDULE_BACKEND == "celery":
        from compiler.schedules.celery_backend import trigger_now

        trigger_now(project, workflow)
        return

    async def trigger(client: Client) -> None:
        await client.get_schedule_handle(schedule_id_for(project, workflow)).trigger()

    _on_schedule(project, workflow, trigger)


def delete_schedules(project: Project) -> list[str]:
    """Delete every schedule of the project, because the project is being deleted; returns their ids.

    Schedules only come from deploys, so a project never deployed has none
    (and Temporal is not asked). The ids are those of every workflow any of
    its builds contained plus what the list shows (the list is eventually
    consistent and may miss a schedule created a moment ago). Raises
    `temporal.TemporalUnavailable` when the Temporal backend is away.
    """
    if settings.SCHEDULE_BACKEND == "celery":
        from compiler.schedules.celery_backend import sync_periodic_tasks

        return sync_periodic_tasks(project, []).deleted
    builds = project.deployments.values_list("sources", flat=True)
    known = {schedule_id_for(project, identifier) for sources in builds for identifier in sources}
    if not known:
        return []
    return temporal.call(lambda client: _delete_temporal(client, project, known))


async def _delete_temporal(client: Client, project: Project, known: set[str]) -> list[str]:
    prefix = schedule_prefix(project)
    listed = {entry.id async for entry in await client.list_schedules() if entry.id.startswith(prefix)}
    deleted = []
    for schedule_id in sorted(known | listed):
        try:
            await client.get_schedule_handle(schedule_id).delete()
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:
                raise
            continue
        deleted.append(schedule_id)
    return deleted


def _on_schedule(project: Project, workflow: str, change) -> None:
    try:
        temporal.call(change)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise ScheduleNotFound(
                f"'{workflow}' has no schedule; give its start node a cron trigger and deploy."
            ) from None
        raise
