"""`python manage.py update_workflow <workflow-id> <update> [--payload JSON] [--project SLUG]`.

Sends one of the workflow's declared updates (compiler/runs/updates.py, as
the run page and the API do) and prints its result as JSON, or its
rejection. Without --project the run's task queue tells which project it
belongs to. Exits non-zero on a rejection, bad JSON, an unknown run or
update, a bad payload or an unreachable Temporal.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compiler import temporal
from compiler.management.commands.start_workflow import parse_json_option, project_or_error, validation_message
from compiler.runs.control import RunNotFound, project_of_run
from compiler.runs.updates import update_run


class Command(BaseCommand):
    help = "Send a declared update (with a JSON payload) to a running workflow and print its result."

    def add_arguments(self, parser) -> None:
        parser.add_argument("workflow_id", metavar="workflow-id")
        parser.add_argument("update")
        parser.add_argument("--payload", default=None, help='The payload as JSON, e.g. \'{"sku": "A-1"}\'.')
        parser.add_argument("--project", default="", metavar="SLUG", help="The run's project (default: found).")

    def handle(self, *args, workflow_id: str, update: str, payload: str | None, project: str, **options) -> None:
        value = parse_json_option(payload, "--payload") if payload is not None else None
        try:
            found = project_or_error(project) if project else project_of_run(workflow_id)
            self.stdout.write(f"Sending update '{update}' to {workflow_id} ({found.slug})...")
            outcome = update_run(found, workflow_id, update, value)
        except (RunNotFound, temporal.TemporalUnavailable) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(f"Not sent: {validation_message(error)}") from None
        if not outcome.accepted:
            raise CommandError(f"Update '{update}' rejected: {outcome.rejection}")
        self.stdout.write(json.dumps(outcome.result, indent=2, sort_keys=True))
        self.stdout.write(self.style.SUCCESS(f"Update '{update}' accepted by {workflow_id}."))
