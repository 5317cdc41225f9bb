"""`python manage.py query_workflow <workflow-id> <query> [--project SLUG] [--run-id ID]`.

Asks a run one of its queries (its graph's `query` nodes or the built-in
`progress`; compiler/runs/queries.py, as the API does) and prints the answer
as JSON. Without --project the run's task queue tells which project it
belongs to. Exits non-zero with a clear message on an unknown run or query,
a run no worker answers for, or an unreachable Temporal.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compiler import temporal
from compiler.management.commands.start_workflow import project_or_error, validation_message
from compiler.runs.control import RunNotFound, project_of_run
from compiler.runs.queries import QueryUnanswered, query_run


class Command(BaseCommand):
    help = "Ask a run one of its queries (state, status, progress, ...) and print the answer as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("workflow_id", metavar="workflow-id")
        parser.add_argument("query")
        parser.add_argument("--project", default="", metavar="SLUG", help="The run's project (default: found).")
        parser.add_argument("--run-id", default="", help="One run of the workflow id (default: the latest).")

    def handle(self, *args, workflow_id: str, query: str, project: str, run_id: str, **options) -> None:
        try:
            found = project_or_error(project) if project else project_of_run(workflow_id)
            self.stdout.write(f"Asking {workflow_id} ({found.slug}) for '{query}'...")
            answer = query_run(found, workflow_id, query, run_id or None)
        except (RunNotFound, QueryUnanswered, temporal.TemporalUnavailable) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(f"Not asked: {validation_message(error)}") from None
        self.stdout.write(json.dumps(answer, indent=2, sort_keys=True, default=str))
        self.stdout.write(self.style.SUCCESS(f"'{query}' answered by {workflow_id}."))
