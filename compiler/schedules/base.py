"""What both schedule backends share: the trigger a deploy asks for, the view the page shows, the ids.

`compiler.schedules.service` (the interface and the Temporal backend) and
`compiler.schedules.celery_backend` (the django-celery-beat backend) both import
this module; keeping it apart is what lets the interface choose a backend
without the backend importing the interface back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from projects.models import Project

NEXT_RUNS = 3


class ScheduleNotFound(Exception):
    """The workflow has no schedule (no cron trigger, or not deployed since it got one)."""


@dataclass(frozen=True)
class CronTrigger:
    """What a deployed start node asks for."""

    schedule_id: str
    workflow: str
    cron: str
    timezone: str
    overlap: str
    input: dict
    workflow_id: str
    # Why the start node's input fields refuse `input` ("" when they accept it).
    input_problem: str = ""


@dataclass
class ScheduleView:
    """One schedule as the project page shows it."""

    schedule_id: str
    workflow: str
    cron: str
    timezone: str
    description: str
    paused: bool
    # None while paused: a paused schedule starts nothing, whatever its calendar says.
    next_runs: list[datetime] = field(default_factory=list)
    recent_runs: list[str] = field(default_factory=list)
    # When the schedule last started a run, and that run's workflow id ("" when unknown, as for celery).
    last_run: datetime | None = None
    last_workflow_id: str = ""


@dataclass
class SyncReport:
    """What one sync did, line by line for the deploy log."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"schedule {verb}: {schedule_id}"
            for verb, ids in (("created", self.created), ("updated", self.updated), ("deleted", self.deleted))
            for schedule_id in ids
        ] + [f"warning: {warning}" for warning in self.warnings]


def schedule_prefix(project: Project) -> str:
    return f"{project.deployment_name}--"


def schedule_id_for(project: Project, workflow: str) -> str:
    return f"{schedule_prefix(project)}{workflow}"
