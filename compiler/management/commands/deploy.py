"""`python manage.py deploy <project-slug> [--strict | --build <id>]`: deploy a project, or roll it back.

A deploy takes, per workflow, the draft when it validates and otherwise the
revision the current build has (compiler/builds/selection.py). Prints the
diagnostics, the build id and, per workflow, which revision the build took
and why, plus the replay check. Exits non-zero with a clear message when
nothing can be deployed, when `--strict` finds a draft with errors, or when
Temporal cannot be reached. `--build` makes an earlier build the newest
again (a rollback): its code and the graphs it stored, whatever the drafts are.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from compiler.builds.deploy import DEFAULT_ACTIVATION_WAIT, deploy_project, rollback_project
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
        parser.add_argument(
            "--build",
            metavar="BUILD_ID",
            help="Roll back: make this earlier build the newest again (its code and graphs, not the drafts).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the deploy when any workflow's draft has errors (instead of keeping its deployed revision).",
        )

    def handle(self, *args, project: str, wait: float, strict: bool, build: str | None, **options) -> None:
        found = Project.objects.filter(slug=project).first()
        if found is None:
            known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)) or "(none)"
            raise CommandError(f"No project with slug '{project}'. Known: {known}.")
        self.stdout.write(f"Deploying {found.name} ({found.slug})...")
        try:
            if build:
                result = rollback_project(found, None, build, activation_wait=wait)
            else:
                result = deploy_project(found, None, strict=strict, activation_wait=wait)
        except TemporalUnavailable as error:
            raise CommandError(f"Not deployed: {error}") from None
        for identifier, diagnostics in sorted(result.diagnostics.items()):
            for diagnostic in diagnostics:
                self.stdout.write(f"  {diagnostic.severity.value}: {identifier}: {diagnostic.line()}")
        if not result.ok:
            for line in result.workflows:
                self.stdout.write(f"  {line}")
            raise CommandError(result.message)
        self.stdout.write(f"build {result.deployment.build_id}")
        for line in [*result.workflows, *result.replay_report.lines(), *result.schedules]:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(result.message))
