"""`python manage.py compile_workflow <project-slug> (<workflow-identifier> | --all) [--out DIR] [--check]`.

Without options the generated module is printed; `--out DIR` writes
`<module>.py` files instead; `--check` prints only the diagnostics, one
`node-key: message` line each. Exits 1 when any workflow has an error, and
with a clear message when the project or workflow does not exist.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compiler.pipeline import CompileResult
from compiler.project_reader import compile_project
from projects.models import Project


class Command(BaseCommand):
    help = "Compile workflows of a project to Python modules, or check them (--check)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("project", metavar="project-slug")
        parser.add_argument("workflow", metavar="workflow-identifier", nargs="?")
        parser.add_argument("--all", action="store_true", help="Compile every workflow of the project.")
        parser.add_argument("--out", metavar="DIR", help="Write <module>.py files into DIR instead of printing.")
        parser.add_argument("--check", action="store_true", help="Print diagnostics only; exit 1 on errors.")

    def handle(self, *args, project: str, workflow: str | None, all: bool, out: str | None, check: bool, **options):
        if bool(workflow) == all:
            raise CommandError("Name one workflow identifier or pass --all (not both).")
        found = Project.objects.filter(slug=project).first()
        if found is None:
            known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)) or "(none)"
            raise CommandError(f"No project with slug '{project}'. Known: {known}.")
        results = compile_project(found)
        if workflow is not None:
            if workflow not in results:
                known = ", ".join(sorted(results)) or "(none)"
                raise CommandError(f"Project '{project}' has no workflow '{workflow}'. Known: {known}.")
            results = {workflow: results[workflow]}
        printing = not check and out is None
        failed = [
            identifier
            for identifier, result in results.items()
            if not self._report(identifier, result, check, printing)
        ]
        if not check and out is not None:
            self._write(results, Path(out))
        summary = f"{len(results)} workflow(s) compiled, {len(failed)} with errors"
        if failed:
            self.stderr.write(f"{summary}: {', '.join(failed)}")
            raise SystemExit(1)
        self.stderr.write(summary)

    def _report(self, identifier: str, result: CompileResult, check: bool, printing: bool) -> bool:
        """Print the diagnostics (and the source unless checking or writing); False on errors."""
        stream = self.stdout if check else self.stderr
        if check or result.diagnostics:
            stream.write(f"{identifier}:")
        for diagnostic in result.diagnostics:
            stream.write(f"  {diagnostic.severity.value}: {diagnostic.line()}")
        if result.source is not None and printing:
            self.stdout.write(result.source, ending="")
        return result.source is not None

    def _write(self, results: dict[str, CompileResult], directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for result in results.values():
            if result.source is not None:
                path = directory / f"{result.module_name}.py"
                path.write_text(result.source, encoding="utf-8")
                self.stderr.write(f"wrote {path}")
