"""`python manage.py start_workflow <project-slug> <workflow-identifier> --input JSON [--id ID] [--wait]`.

Starts a run on the project's current build (the same `start_run` as the
UI and API, so the input is checked against the start node's fields) and
prints its workflow id; with --wait, waits for the result and prints it as
JSON. Exits non-zero with a clear message on bad JSON, an unknown project or
workflow, a refused input, a failed run or an unreachable Temporal.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError

from compiler import temporal
from compiler.runs.control import start_run
from compiler.runtime.retry import error_text
from projects.models import Project
from workflows.input_checks import InputError, parse_json


def parse_json_option(text: str, option: str):
    """The option's JSON under the same rules as the API and forms (depth, finite numbers, clean text)."""
    try:
        return parse_json(text)
    except InputError as error:
        raise CommandError(f"{option} {error}.") from None


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {m}" for field, messages in error.message_dict.items() for m in messages)
    return "; ".join(error.messages)


def failure_message(failure: BaseException) -> str:
    """The failure's real reason: every message along its cause chain, then the application error's type and details.

    Temporal wraps a failed activity or child in ActivityError ("Activity task
    failed") or ChildWorkflowError; alone, that says nothing of the cause.
    """
    text = error_text(failure)
    current: BaseException | None = failure
    while current is not None and not isinstance(current, ApplicationError):
        current = current.__cause__
    if current is not None and current.type:
        text += f" (type: {current.type})"
    if current is not None and current.details:
        text += f"\ndetails: {json.dumps(list(current.details), sort_keys=True, default=str)}"
    return text


def project_or_error(slug: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        known = ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)) or "(none)"
        raise CommandError(f"No project with slug '{slug}'. Known: {known}.")
    return project


class Command(BaseCommand):
    help = "Start a run of a deployed workflow; --wait prints its result as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("project", metavar="project-slug")
        parser.add_argument("workflow", metavar="workflow-identifier")
        parser.add_argument("--input", default="{}", help='The workflow input as JSON, e.g. \'{"package": "zlib"}\'.')
        parser.add_argument("--id", default="", help="Workflow id (default: the start node's, or generated).")
        parser.add_argument("--wait", action="store_true", help="Wait for the run to finish and print its result.")
        parser.add_argument("--timeout", type=float, default=300, help="Seconds --wait waits (default 300).")

    def handle(self, *args, project: str, workflow: str, input: str, id: str, wait: bool, timeout: float, **options):
        found = project_or_error(project)
        run_input = parse_json_option(input, "--input")
        self.stdout.write(f"Starting {workflow} in {found.slug}...")
        try:
            ref = start_run(found, workflow, run_input, workflow_id=id or None)
            self.stdout.write(f"workflow id: {ref.workflow_id}")
            self.stdout.write(f"run id: {ref.run_id}")
            if wait:
                result = temporal.call(
                    lambda client: client.get_workflow_handle(ref.workflow_id, run_id=ref.run_id).result(),
                    timeout=timeout,
                )
                self.stdout.write(json.dumps(result, indent=2, sort_keys=True, default=str))
        except ValidationError as error:
            raise CommandError(f"Not started: {validation_message(error)}") from None
        except WorkflowFailureError as error:
            raise CommandError(f"Run {ref.workflow_id} failed: {failure_message(error.cause)}") from None
        except temporal.TemporalUnavailable as error:
            raise CommandError(str(error)) from None
        verb = "finished" if wait else "started"
        self.stdout.write(self.style.SUCCESS(f"Run {ref.workflow_id} {verb}."))
