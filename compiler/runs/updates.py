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
from compiler.runs.control import (
    check_message,
    declared_signals,
    describe_execution,
    fields_template,
    project_handle,
    run_graph,
)
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


def _form(name: str, node: IRNode, fields_key: str) -> dict:
    """A declared message as its form reads it: name, label, payload fields and a JSON template of them."""
    fields = node.config.get(fields_key) or []
    template = json.dumps(fields_template(fields)) if fields else ""
    return {"name": name, "label": node.label, fields_key: fields, "template": template}


def update_forms(graph: Graph) -> list[dict]:
    """The run page's update forms, by name."""
    return [_form(update, node, "input_fields") for update, node in sorted(declared_updates(graph).items())]


def declared_message(project: Project, workflow_id: str, kind: str, name: str, run_id: str | None = None) -> dict:
    """The run's signal or update `name` as its form reads it (no fields when the graph does not declare it).

    The run page parses a form's typed inputs by these fields; the send
    itself then refuses an unknown name or a payload that does not fit.
    """
    graph = run_graph(project, describe_execution(project, workflow_id, run_id))
    handlers, fields_key = (
        (declared_signals(graph), "payload_fields") if kind == "signal" else (declared_updates(graph), "input_fields")
    )
    return _form(name, handlers[name], fields_key) if name in handlers else {"name": name, "label": ""}


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
