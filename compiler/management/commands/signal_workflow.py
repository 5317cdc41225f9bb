"""`python manage.py signal_workflow <workflow-id> <signal> [--payload JSON] [--project SLUG]`.

Sends one of the workflow's declared signals, the payload checked against
the handler's fields (the same `signal_run` as the UI and API). Without
--project the run's task queue tells which project it belongs to. Exits
non-zero with a clear message on bad JSON, an unknown run or signal, a bad
payload or an unreachable Temporal.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compiler import temporal
from compiler.management.commands.start_workflow import parse_json_option, project_or_error, validation_message
from compiler.runs.control import RunNotFound, project_of_run, signal_run


class Command(BaseCommand):
    help = "Send a declared signal (with a JSON payload) to a running workflow."

    def add_arguments(self, parser) -> None:
        parser.add_argument("workflow_id", metavar="workflow-id")
        parser.add_argument("signal")
        parser.add_argument("--payload", default=None, help='The payload as JSON, e.g. \'{"by": "ada"}\'.')
        parser.add_argument("--project", default="", metavar="SLUG", help="The run's project (default: found).")

    def handle(self, *args, workflow_id: str, signal: str, payload: str | None, project: str, **options) -> None:
        value = parse_json_option(payload, "--payload") if payload is not None else None
        try:
            found = project_or_error(project) if project else project_of_run(workflow_id)
            self.stdout.write(f"Sending '{signal}' to {workflow_id} ({found.slug})...")
            signal_run(found, workflow_id, signal, value)
        except (RunNotFound, temporal.TemporalUnavailable) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(f"Not sent: {validation_message(error)}") from None
        self.stdout.write(self.style.SUCCESS(f"Sent '{signal}' to {workflow_id}."))
