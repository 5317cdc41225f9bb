"""What the commands that send a running workflow a message share (signal_workflow, update_workflow).

Both take `<workflow-id> <name> [--payload JSON] [--project SLUG]`, find the
run's project from its task queue when --project is not given, and end
with one clear line for an unknown run, an unreachable Temporal or a
payload the run's graph refuses: `RunMessageCommand` does that, each
command says only what it sends and how it reports the outcome. The
leading underscore keeps Django from listing this module as a command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compiler import temporal
from compiler.management.commands.start_workflow import parse_json_option, project_or_error, validation_message
from compiler.runs.control import RunNotFound, project_of_run
from projects.models import Project


def run_project(slug: str, workflow_id: str) -> Project:
    """The project named by --project, else the one whose task queue the run is on."""
    return project_or_error(slug) if slug else project_of_run(workflow_id)


@contextmanager
def refusals_as_command_errors() -> Iterator[None]:
    """An unknown run, an unreachable Temporal or a refused message ends the command with its message."""
    try:
        yield
    except (RunNotFound, temporal.TemporalUnavailable) as error:
        raise CommandError(str(error)) from None
    except ValidationError as error:
        raise CommandError(f"Not sent: {validation_message(error)}") from None


class RunMessageCommand(BaseCommand):
    """`<workflow-id> <kind> [--payload JSON] [--project SLUG]`: finds the run's project, then `send`s."""

    kind: str  # the message's kind, also its argument's name: "signal", "update"
    payload_example: str
    announce: str  # what is being sent, a template over the message's {name}

    def add_arguments(self, parser) -> None:
        parser.add_argument("workflow_id", metavar="workflow-id")
        parser.add_argument(self.kind)
        parser.add_argument("--payload", default=None, help=f"The payload as JSON, e.g. '{self.payload_example}'.")
        parser.add_argument("--project", default="", metavar="SLUG", help="The run's project (default: found).")

    def handle(self, *args, workflow_id: str, payload: str | None, project: str, **options) -> None:
        name = options[self.kind]
        value = parse_json_option(payload, "--payload") if payload is not None else None
        with refusals_as_command_errors():
            found = run_project(project, workflow_id)
            self.stdout.write(f"Sending {self.announce.format(name=name)} to {workflow_id} ({found.slug})...")
            self.send(found, workflow_id, name, value)

    def send(self, project: Project, workflow_id: str, name: str, payload) -> None:
        """Send the message and report its outcome; refusals raise (they become the command's error)."""
        raise NotImplementedError
