"""Celery tasks, for the django-celery-beat schedule backend (`SCHEDULE_BACKEND = "celery"`).

Celery beat fires `start_scheduled_workflow` from the `PeriodicTask` rows
that deploy maintains (compiler/schedules/celery_backend.py). The task only starts
the run, through the same `start_run` as the UI; Temporal runs it.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from compiler.runs.control import start_run
from projects.models import Project


@shared_task(name="compiler.tasks.start_scheduled_workflow")
def start_scheduled_workflow(project: str, workflow: str, input: dict | None = None, workflow_id: str = "") -> str:
    """Start `workflow` of project `project` (a slug); returns the new run's workflow id.

    Like a Temporal Schedule, each tick gets its own id: the start node's
    fixed id (or the workflow identifier) plus the tick's UTC time, written
    without ':' (which separates the project prefix, compiler/runs/control.py).
    """
    tick = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    found = Project.objects.get(slug=project)
    ref = start_run(found, workflow, input or {}, workflow_id=f"{workflow_id or workflow}-{tick}")
    return ref.workflow_id
