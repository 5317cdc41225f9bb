"""`python manage.py schedules <project-slug> [list | pause | resume | trigger <workflow-identifier>]`.

The project page's schedules card from the command line (the same
compiler/schedules/service.py functions as the page and the API): `list`
(the default) prints each schedule with its cron, state and next runs (none
while paused); `pause`, `resume` and `trigger` act on one workflow's
schedule. Exits non-zero with a clear message on an unknown project, a
workflow without a schedule or an unreachable Temporal.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from compiler import temporal
from compiler.management.commands.start_workflow import project_or_error
from compiler.schedules.service import ScheduleNotFound, list_schedules, pause_schedule, trigger_schedule

ACTIONS = ("list", "pause", "resume", "trigger")


class Command(BaseCommand):
    help = "List a project's schedules, or pause, resume or trigger one workflow's schedule."

    def add_arguments(self, parser) -> None:
        parser.add_argument("project", metavar="project-slug")
        parser.add_argument("action", nargs="?", default="list", choices=ACTIONS)
        parser.add_argument("workflow", nargs="?", default="", metavar="workflow-identifier")
        parser.add_argument("--note", default="", help="Kept with a pause or resume (default: who and how).")

    def handle(self, *args, project: str, action: str, workflow: str, note: str, **options) -> None:
        found = project_or_error(project)
        if action != "list" and not workflow:
            raise CommandError(f"'{action}' needs the workflow whose schedule to {action}.")
        try:
            if action == "list":
                self._list(found)
                return
            self.stdout.write(f"{action.title()} the schedule of {workflow} in {found.slug}...")
            if action == "trigger":
                trigger_schedule(found, workflow)
            else:
                pause_schedule(
                    found, workflow, paused=action == "pause", note=note or f"{action}d from the command line"
                )
        except (ScheduleNotFound, temporal.TemporalUnavailable) as error:
            raise CommandError(str(error)) from None
        done = {"pause": "Paused", "resume": "Resumed", "trigger": "Triggered"}[action]
        self.stdout.write(self.style.SUCCESS(f"{done} the schedule of {workflow}."))

    def _list(self, project) -> None:
        views = list_schedules(project)
        for view in views:
            state = "paused" if view.paused else "active"
            self.stdout.write(
                f"{view.workflow}: {view.description} ({view.cron or 'interval'}, {view.timezone}), {state}"
            )
            if not view.paused:
                for moment in view.next_runs:
                    self.stdout.write(f"  next: {moment.isoformat()}")
        self.stdout.write(self.style.SUCCESS(f"{len(views)} schedule{'s' * (len(views) != 1)} in {project.slug}."))
