"""`python manage.py deploy <project-slug>`: validate, compile and deploy a project.

Prints the build id and, per workflow, whether it was added, changed,
removed or unchanged, plus the replay check. Exits non-zero with a clear
message on validation errors or when Temporal cannot be reached.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from compiler.builds.deploy import DEFAULT_ACTIVATION_WAIT, deploy_project
from compiler.temporal import TemporalUnavailable
from projects.models import Project


class Command(BaseCommand):
    help = "Validate, compile and deploy every workflow of a project to the Temporal workers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("project", metavar="project-slug")
        parser.add_argument(
            "--wait",
            type=float,
            default=DEFAULT_ACTIVATION_WAIT,
            help="Seconds to wait for a worker to serve the new build before leaving it pending.",
        )

    def handle(self, *args, project: str, wait: float, **options) -> None:
        found = Project.objects.filter(slug=project).first()
        if found is None:
            known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)) or "(none)"
            raise CommandError(f"No project with slug '{project}'. Known: {known}.")
        self.stdout.write(f"Deploying {found.name} ({found.slug})...")
        try:
            result = deploy_project(found, None, activation_wait=wait)
        except TemporalUnavailable as error:
            raise CommandError(f"Not deployed: {error}") from None
        for identifier, diagnostics in sorted(result.diagnostics.items()):
            for diagnostic in diagnostics:
                self.stdout.write(f"  {diagnostic.severity.value}: {identifier}: {diagnostic.line()}")
        if not result.ok:
            raise CommandError(result.message)
        self.stdout.write(f"build {result.deployment.build_id}")
        for identifier, change in result.changed.items():
            self.stdout.write(f"  {identifier}: {change}")
        for line in [*result.replay_report.lines(), *result.schedules]:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(result.message))
