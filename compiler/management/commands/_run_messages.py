"""What the commands that send a running workflow a message share (signal_workflow, update_workflow).

Both take `<workflow-id> <name> [--payload JSON] [--project SLUG]`, find the
run's project from its task queue when --project is not given, and end
with one clear line for an unknown run, an unreachable Temporal or a
payload the run's graph refuses. The leading underscore keeps Django from
listing this module as a command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from compiler import temporal
from compiler.management.commands.start_workflow import project_or_error, validation_message
from compiler.runs.control import RunNotFound, project_of_run
from projects.models import Project


def add_message_arguments(parser, kind: str, payload_example: str) -> None:
    """`<workflow-id> <kind> [--payload JSON] [--project SLUG]`."""
    parser.add_argument("workflow_id", metavar="workflow-id")
    parser.add_argument(kind)
    parser.add_argument("--payload", default=None, help=f"The payload as JSON, e.g. '{payload_example}'.")
    parser.add_argument("--project", default="", metavar="SLUG", help="The run's project (default: found).")


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
