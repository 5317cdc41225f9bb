"""`python manage.py run_worker [<project-slug>...]`: serve deployed builds on Temporal.

Runs until SIGTERM or Ctrl-C, then lets in-flight tasks finish and exits 0.
Start as many as you like, on any machine with the database and Temporal.
"""

from __future__ import annotations

import asyncio
import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compiler import temporal
from compiler.builds.worker import DRAIN_GRACE, POLL_INTERVAL, WorkerHost, load_activities
from projects.models import Project


class Command(BaseCommand):
    help = "Run Temporal workers for every live build of the given projects (default: all projects)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("projects", nargs="*", metavar="project-slug")
        parser.add_argument("--poll-interval", type=float, default=POLL_INTERVAL, help="Seconds between DB checks.")
        parser.add_argument(
            "--drain-grace",
            type=float,
            default=DRAIN_GRACE,
            help="Seconds a replaced build keeps its worker before it may retire.",
        )

    def handle(self, *args, projects: list[str], poll_interval: float, drain_grace: float, **options) -> None:
        unknown = sorted(set(projects) - set(Project.objects.filter(slug__in=projects).values_list("slug", flat=True)))
        if unknown:
            raise CommandError(f"Unknown project(s): {', '.join(unknown)}. Known: {', '.join(_known_slugs())}.")
        try:
            activities = load_activities()
        except ImportError as error:
            raise CommandError(f"{error}. Check WORKFLOW_ACTIVITY_MODULES.") from None
        try:
            asyncio.run(self._serve(projects, activities, poll_interval, drain_grace))
        except temporal.TemporalUnavailable as error:
            raise CommandError(str(error)) from None
        self.stdout.write("worker: stopped cleanly")

    async def _serve(self, slugs: list[str], activities: list, poll_interval: float, drain_grace: float) -> None:
        client = await temporal.connect(settings.TEMPORAL_ADDRESS, settings.TEMPORAL_NAMESPACE)
        self.stdout.write(f"worker: connected to Temporal at {settings.TEMPORAL_ADDRESS}")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        host = WorkerHost(
            client, slugs, activities, poll_interval=poll_interval, drain_grace=drain_grace, say=self._say
        )
        watching = ", ".join(slugs) if slugs else "all projects"
        self._say(f"worker: watching {watching}; checking for new deployments every {poll_interval:g} s")
        await host.serve(stop)

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()


def _known_slugs() -> list[str]:
    return list(Project.objects.order_by("slug").values_list("slug", flat=True)) or ["(none)"]
