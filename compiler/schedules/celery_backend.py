"""The django-celery-beat schedule backend (`settings.SCHEDULE_BACKEND = "celery"`).

Each cron trigger is one `PeriodicTask` named like the Temporal schedule id
(`<deployment-name>--<workflow>`), on a `CrontabSchedule` with the start
node's timezone, running `compiler.tasks.start_scheduled_workflow` with
kwargs {project, workflow, input, workflow_id}. The rows are ordinary admin
objects: disabling one there pauses the schedule, and deploy keeps that
choice. Celery beat has no overlap policy: every tick starts a run (with its
own timestamped id), whatever is still running.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from compiler.schedules import base
from projects.models import Project
from workflows.node_types.cron import describe_cron

TASK = "compiler.tasks.start_scheduled_workflow"


# A cron's five fields in their order, as CrontabSchedule names them.
CRON_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def _crontab(cron: str, tz: str) -> CrontabSchedule:
    fields = dict(zip(CRON_FIELDS, cron.split(), strict=True))
    crontab, _ = CrontabSchedule.objects.get_or_create(**fields, timezone=ZoneInfo(tz))
    return crontab


def sync_periodic_tasks(project: Project, triggers: list[base.CronTrigger]) -> base.SyncReport:
    """One enabled-or-paused PeriodicTask per trigger; rows of removed triggers are deleted."""
    report = base.SyncReport()
    with transaction.atomic():
        existing = {
            task.name: task for task in PeriodicTask.objects.filter(name__startswith=base.schedule_prefix(project))
        }
        for trigger in triggers:
            kwargs = json.dumps(
                {
                    "project": project.slug,
                    "workflow": trigger.workflow,
                    "input": trigger.input,
                    "workflow_id": trigger.workflow_id,
                },
                sort_keys=True,
            )
            values = {
                "task": TASK,
                "crontab": _crontab(trigger.cron, trigger.timezone),
                "kwargs": kwargs,
                "description": (
                    f"{describe_cron(trigger.cron, fallback=trigger.cron)} ({trigger.timezone}): "
                    f"start {trigger.workflow}"
                ),
            }
            task = existing.pop(trigger.schedule_id, None)
            if task is None:
                PeriodicTask.objects.create(name=trigger.schedule_id, **values)
                report.created.append(trigger.schedule_id)
            else:
                for name, value in values.items():
                    setattr(task, name, value)
                task.save()
                report.updated.append(trigger.schedule_id)
        for name, task in sorted(existing.items()):
            task.delete()
            report.deleted.append(name)
    return report


def periodic_task_views(project: Project) -> list[base.ScheduleView]:
    views = []
    now = timezone.now()
    tasks = PeriodicTask.objects.filter(name__startswith=base.schedule_prefix(project)).select_related("crontab")
    for task in tasks.order_by("name"):
        crontab = task.crontab
        cron = " ".join(
            (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week)
        )
        tz = ZoneInfo(str(crontab.timezone))
        kwargs = json.loads(task.kwargs or "{}")
        views.append(
            base.ScheduleView(
                schedule_id=task.name,
                workflow=kwargs.get("workflow", ""),
                cron=cron,
                timezone=str(crontab.timezone),
                description=describe_cron(cron, fallback=cron),
                paused=not task.enabled,
                next_runs=_next_runs(cron, now.astimezone(tz)) if task.enabled else [],
                last_run=task.last_run_at,
            )
        )
    return views


def _next_runs(cron: str, start: datetime) -> list[datetime]:
    times = croniter(cron, start)
    return [times.get_next(datetime) for _ in range(base.NEXT_RUNS)]


def _task(project: Project, workflow: str) -> PeriodicTask:
    task = PeriodicTask.objects.filter(name=base.schedule_id_for(project, workflow)).first()
    if task is None:
        raise base.ScheduleNotFound(f"'{workflow}' has no schedule; give its start node a cron trigger and deploy.")
    return task


def set_enabled(project: Project, workflow: str, *, enabled: bool) -> None:
    task = _task(project, workflow)
    task.enabled = enabled
    task.save()


def trigger_now(project: Project, workflow: str) -> None:
    """Run the task's body in this process: the workflow starts at once, as a tick would start it."""
    from compiler.tasks import start_scheduled_workflow

    start_scheduled_workflow(**json.loads(_task(project, workflow).kwargs))
