"""`python manage.py update_workflow <workflow-id> <update> [--payload JSON] [--project SLUG]`.

Sends one of the workflow's declared updates (compiler/runs/updates.py, as
the run page and the API do) and prints its result as JSON, or its
rejection. Without --project the run's task queue tells which project it
belongs to. Exits non-zero on a rejection, bad JSON, an unknown run or
update, a bad payload or an unreachable Temporal.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from compiler.management.commands._run_messages import add_message_arguments, refusals_as_command_errors, run_project
from compiler.management.commands.start_workflow import parse_json_option
from compiler.runs.updates import update_run


class Command(BaseCommand):
    help = "Send a declared update (with a JSON payload) to a running workflow and print its result."

    def add_arguments(self, parser) -> None:
        add_message_arguments(parser, "update", '{"sku": "A-1"}')

    def handle(self, *args, workflow_id: str, update: str, payload: str | None, project: str, **options) -> None:
        value = parse_json_option(payload, "--payload") if payload is not None else None
        with refusals_as_command_errors():
            found = run_project(project, workflow_id)
            self.stdout.write(f"Sending update '{update}' to {workflow_id} ({found.slug})...")
            outcome = update_run(found, workflow_id, update, value)
        if not outcome.accepted:
            raise CommandError(f"Update '{update}' rejected: {outcome.rejection}")
        self.stdout.write(json.dumps(outcome.result, indent=2, sort_keys=True))
        self.stdout.write(self.style.SUCCESS(f"Update '{update}' accepted by {workflow_id}."))
