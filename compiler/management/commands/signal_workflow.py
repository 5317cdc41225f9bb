"""`python manage.py signal_workflow <workflow-id> <signal> [--payload JSON] [--project SLUG]`.

Sends one of the workflow's declared signals, the payload checked against
the handler's fields (the same `signal_run` as the UI and API). Without
--project the run's task queue tells which project it belongs to. Exits
non-zero with a clear message on bad JSON, an unknown run or signal, a bad
payload or an unreachable Temporal.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from compiler.management.commands._run_messages import add_message_arguments, refusals_as_command_errors, run_project
from compiler.management.commands.start_workflow import parse_json_option
from compiler.runs.control import signal_run


class Command(BaseCommand):
    help = "Send a declared signal (with a JSON payload) to a running workflow."

    def add_arguments(self, parser) -> None:
        add_message_arguments(parser, "signal", '{"by": "ada"}')

    def handle(self, *args, workflow_id: str, signal: str, payload: str | None, project: str, **options) -> None:
        value = parse_json_option(payload, "--payload") if payload is not None else None
        with refusals_as_command_errors():
            found = run_project(project, workflow_id)
            self.stdout.write(f"Sending '{signal}' to {workflow_id} ({found.slug})...")
            signal_run(found, workflow_id, signal, value)
        self.stdout.write(self.style.SUCCESS(f"Sent '{signal}' to {workflow_id}."))
