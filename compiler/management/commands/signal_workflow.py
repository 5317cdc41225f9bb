"""`python manage.py signal_workflow <workflow-id> <signal> [--payload JSON] [--project SLUG]`.

Sends one of the workflow's declared signals, the payload checked against
the handler's fields (the same `signal_run` as the UI and API). Without
--project the run's task queue tells which project it belongs to. Exits
non-zero with a clear message on bad JSON, an unknown run or signal, a bad
payload or an unreachable Temporal.
"""

from __future__ import annotations

from compiler.management.commands._run_messages import RunMessageCommand
from compiler.runs.control import signal_run
from projects.models import Project


class Command(RunMessageCommand):
    help = "Send a declared signal (with a JSON payload) to a running workflow."
    kind = "signal"
    payload_example = '{"by": "ada"}'
    announce = "'{name}'"

    def send(self, project: Project, workflow_id: str, name: str, payload) -> None:
        signal_run(project, workflow_id, name, payload)
        self.stdout.write(self.style.SUCCESS(f"Sent '{name}' to {workflow_id}."))
