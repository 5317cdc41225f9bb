"""Send a Temporal Update to a run and report its result or its rejection (the run page, API and command).

An update is a request with a response: the run's update handler
(an `update_handler` node) first runs its validator, which may reject the
update before anything is written to the run's history, then its actions,
and returns its result. As for a signal, the update must be declared by the
graph of the build the run runs on and its payload is checked against the
handler's `input_fields` before anything reaches Temporal (a
`ValidationError` naming the field). A rejection, or a handler that
fails, is not an error of the caller's request: it comes back as an
`UpdateOutcome` that is not accepted, with the workflow's message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from compiler import temporal
from compiler.ir import Graph, IRNode
from compiler.runs.control import check_message, describe_execution, fields_template, project_handle, run_graph
from compiler.runtime.retry import error_text
from projects.models import Project

# How long a caller waits for the run to take and answer the update (a worker must be running).
UPDATE_TIMEOUT = timedelta(seconds=30)


@dataclass(frozen=True)
class UpdateOutcome:
    """What became of an update: its result when accepted, else the validator's or handler's message."""

    update: str
    accepted: bool
    result: Any = None
    rejection: str = ""


def declared_updates(graph: Graph) -> dict[str, IRNode]:
    """Update name -> its handler node."""
    return {node.config["name"]: node for node in graph.of_type("update_handler") if node.config.get("name")}


def update_forms(graph: Graph) -> list[dict]:
    """The run page's update forms: name, label, payload fields and a JSON template of them, by name."""
    forms = []
    for update, node in sorted(declared_updates(graph).items()):
        fields = node.config.get("input_fields") or []
        template = json.dumps(fields_template(fields)) if fields else ""
        forms.append({"name": update, "label": node.label, "input_fields": fields, "template": template})
    return forms


def update_run(
    project: Project, workflow_id: str, update: str, payload: Any, run_id: str | None = None
) -> UpdateOutcome:
    """Send one of the run's declared updates and wait for its result or rejection."""
    graph = run_graph(project, describe_execution(project, workflow_id, run_id))
    check_message(graph, declared_updates(graph), "update", update, payload, fields_key="input_fields")

    async def send(client: Client) -> UpdateOutcome:
        handle, _ = await project_handle(client, project, workflow_id, run_id)
        try:
            result = await handle.execute_update(update, payload, rpc_timeout=UPDATE_TIMEOUT)
        except WorkflowUpdateFailedError as failed:
            return UpdateOutcome(update, False, rejection=error_text(failed.cause))
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise ValidationError("The run has already finished; only running runs take updates.") from None
            raise
        return UpdateOutcome(update, True, result)

    return temporal.call(send)
