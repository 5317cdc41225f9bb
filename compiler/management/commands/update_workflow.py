"""`python manage.py update_workflow <workflow-id> <update> [--payload JSON] [--project SLUG]`.

Sends one of the workflow's declared updates (compiler/runs/updates.py, as
the run page and the API do) and prints its result as JSON, or its
rejection. Without --project the run's task queue tells which project it
belongs to. Exits non-zero on a rejection, bad JSON, an unknown run or
update, a bad payload or an unreachable Temporal.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from compiler.management.commands._run_messages import RunMessageCommand
from compiler.runs.updates import update_run
from projects.models import Project


class Command(RunMessageCommand):
    help = "Send a declared update (with a JSON payload) to a running workflow and print its result."
    kind = "update"
    payload_example = '{"sku": "A-1"}'
    announce = "update '{name}'"

    def send(self, project: Project, workflow_id: str, name: str, payload) -> None:
        outcome = update_run(project, workflow_id, name, payload)
        if not outcome.accepted:
            raise CommandError(f"Update '{name}' rejected: {outcome.rejection}")
        self.stdout.write(json.dumps(outcome.result, indent=2, sort_keys=True))
        self.stdout.write(self.style.SUCCESS(f"Update '{name}' accepted by {workflow_id}."))
