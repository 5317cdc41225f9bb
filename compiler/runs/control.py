"""Runs of deployed workflows: start, list, signal, cancel, terminate (describe: history.py).

Temporal is the source of truth: nothing about a run is stored in the
database. Every workflow id of a project carries the project's prefix
(compiler/runtime/project_ids.py): ids given here, with or without it, are
scoped before they reach Temporal, so a start never collides with another
project's run and a lookup never finds one. Lookups also check that the
execution runs on the project's task queue; either way a workflow id of
another project (guessed or copied) answers `RunNotFound`, like an unknown one.

Input and signal payloads are checked against the fields the graph declares
(start node `input_fields`, signal handler `payload_fields`) before anything
reaches Temporal; mistakes become `ValidationError`s naming the field. The
graph is the one of the build the run runs on (`run_graph`; new runs: the
current build's, `new_run_graph`), never the draft being edited: a deploy
stores the graphs it compiled (compiler.models.BuildGraph).
Temporal being away becomes `temporal.TemporalUnavailable`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from temporalio.client import Client, WorkflowExecution, WorkflowExecutionDescription, WorkflowHandle
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from compiler import temporal
from compiler.ir import Graph, IRNode
from compiler.models import Deployment, DeploymentStatus
from compiler.project_reader import graph_in_build, load
from compiler.runtime.project_ids import SEPARATOR, prefix_of, project_prefix, scoped
from compiler.validate.references import FORBIDDEN_IN_RUN_IDS
from projects.models import Project
from workflows.node_types.input_values import field_problems


class RunNotFound(Exception):
    """No such execution in this project (or it belongs to another project)."""


@dataclass(frozen=True)
class RunRef:
    workflow_id: str
    run_id: str


@dataclass
class Run:
    """What the runs list and a run's page (compiler.runs.history.RunDetail) both say about a run."""

    workflow_id: str
    run_id: str
    workflow: str
    status: str
    start: datetime | None
    close: datetime | None
    build_id: str

    @property
    def is_open(self) -> bool:
        return self.status == "running"

    @property
    def duration(self) -> float | None:
        return (self.close - self.start).total_seconds() if self.start and self.close else None

    @classmethod
    def of(cls, execution: WorkflowExecution, build_id: str, **more):
        """From temporalio's `WorkflowExecution`: a row of a list, or a description (which is one too)."""
        return cls(
            workflow_id=execution.id,
            run_id=execution.run_id,
            workflow=execution.workflow_type,
            status=execution.status.name.lower() if execution.status else "unknown",
            start=execution.start_time,
            close=execution.close_time,
            build_id=build_id,
            **more,
        )


@dataclass
class RunSummary(Run):
    """One row of the runs list, from Temporal visibility."""

    started_by: str = ""


def check_fields(fields: list[dict], values: Any, *, what: str) -> None:
    """Raise ValidationError naming each field of `values` that the declared fields refuse (input_values.py)."""
    problems = field_problems(fields, values, what=what)
    if problems:
        raise ValidationError(problems)


def check_message(
    graph: Graph, handlers: dict[str, IRNode], kind: str, name: str, payload: Any, *, fields_key: str
) -> None:
    """Refuse a `kind` of message (signal, update) that the run's graph does not declare, or a payload that
    its handler's fields (`fields_key` of the handler's config) refuse, before anything reaches Temporal."""
    if name not in handlers:
        article = "an" if kind[0] in "aeiou" else "a"
        declared = ", ".join(sorted(handlers)) or "none"
        raise ValidationError(
            {kind: [f"'{name}' is not {article} {kind} of {graph.identifier} (declared: {declared})"]}
        )
    fields = handlers[name].config.get(fields_key) or []
    if fields:
        check_fields(fields, payload, what="payload")


def start_node(graph: Graph) -> IRNode | None:
    return next(iter(graph.of_type("start")), None)


def declared_signals(graph: Graph) -> dict[str, IRNode]:
    """Signal name -> its handler node."""
    return {node.config["signal"]: node for node in graph.of_type("signal_handler") if node.config.get("signal")}


def fields_template(fields: list[dict]) -> dict:
    """A starting point for a form: every field with its default (or an empty value of its type)."""
    empty = {"str": "", "int": 0, "float": 0.0, "bool": False, "list": [], "dict": {}, "any": None}
    return {f["name"]: f["default"] if "default" in f else empty.get(f.get("type")) for f in fields}


def input_template(graph: Graph) -> dict:
    """The run form's prefilled input: the start node's example input over its fields' defaults."""
    start = start_node(graph)
    if start is None:
        return {}
    return {**fields_template(start.config.get("input_fields", [])), **(start.config.get("example_input") or {})}


def _workflow(project: Project, identifier: str):
    """The project's workflow `identifier`; a ValidationError naming the known ones otherwise."""
    workflow = project.workflows.filter(identifier=identifier).first()
    if workflow is None:
        known = ", ".join(project.workflows.order_by("identifier").values_list("identifier", flat=True)) or "none"
        raise ValidationError({"workflow": [f"'{project.slug}' has no workflow '{identifier}' (known: {known})."]})
    return workflow


def workflow_graph(project: Project, identifier: str) -> Graph:
    """The draft of a workflow (what the editor shows; runs use their build's graph)."""
    return load(_workflow(project, identifier))


def _current(project: Project) -> Deployment | None:
    return Deployment.objects.filter(project=project, status=DeploymentStatus.CURRENT).first()


def current_deployment(project: Project, identifier: str) -> Deployment:
    """The build new runs start on; ValidationError if there is none or it lacks the workflow."""
    return _runnable_on(project, identifier, _current(project))


def _runnable_on(project: Project, identifier: str, deployment: Deployment | None) -> Deployment:
    if deployment is None:
        raise ValidationError(
            f"'{project.name}' has no current deployment: deploy it and start a worker "
            f"(`python manage.py deploy {project.slug}`, `python manage.py run_worker`) before starting runs."
        )
    if identifier not in deployment.sources:
        raise ValidationError(
            f"'{identifier}' is not in the current build {deployment.build_id}: deploy the project to include it."
        )
    return deployment


def graph_of(project: Project, deployment: Deployment | None, identifier: str) -> Graph:
    """`identifier` as compiled into `deployment`; the draft for a build made before builds kept their graphs.

    Without a build (or a workflow gone from both) the draft, else an empty
    graph, so a run of a deleted workflow is still shown.
    """
    graph = graph_in_build(deployment, identifier) if deployment is not None else None
    if graph is not None:
        return graph
    workflow = project.workflows.filter(identifier=identifier).first()
    return load(workflow) if workflow is not None else Graph(identifier=identifier)


def new_run_graph(project: Project, identifier: str) -> Graph:
    """The graph a new run gets (the current build's); its draft while no build is current (run forms)."""
    return graph_of(project, _current(project), identifier)


def run_build_id(description: WorkflowExecutionDescription) -> str:
    """The build a run is pinned to (Worker Versioning), or the one it was assigned; "" when none yet."""
    info = description.raw_description.workflow_execution_info
    return info.versioning_info.deployment_version.build_id or info.assigned_build_id


def run_graph(project: Project, description: WorkflowExecutionDescription) -> Graph:
    """The graph of the build the run runs on; a run no worker has picked up yet gets the current build's."""
    build_id = run_build_id(description)
    deployment = (
        Deployment.objects.filter(project=project, build_id=build_id).first() if build_id else _current(project)
    )
    return graph_of(project, deployment, description.workflow_type)


def run_id_in(project: Project, workflow_id: str) -> str:
    """`workflow_id` (short, or full with this project's prefix) as the project's full workflow id."""
    return scoped(workflow_id, project_prefix(project.id_prefix))


def new_run_id(project: Project, workflow_id: str) -> str:
    """The full id of a run started as `workflow_id`; ValidationError for a character an id may not have.

    '/' would break the run page's URL and ':' separates the project prefix,
    so neither may appear after the (optional) prefix of this project.
    """
    full = run_id_in(project, workflow_id)
    short = full.removeprefix(project_prefix(project.id_prefix))
    for character in FORBIDDEN_IN_RUN_IDS:
        if character in short:
            raise ValidationError({"workflow_id": [f"must not contain '{character}'"]})
    return full


def start_run(
    project: Project, workflow_identifier: str, input: Any, workflow_id: str | None = None, user=None
) -> RunRef:
    """Start the workflow on the project's current build; the id is `workflow_id`, the start node's, or generated."""
    deployment = _current(project)
    if deployment is None or workflow_identifier not in deployment.sources:
        _workflow(project, workflow_identifier)  # an unknown workflow is named before anything else
    # Checked against the graph the run gets (the draft while nothing is current: the start is refused next).
    start = start_node(graph_of(project, deployment, workflow_identifier))
    check_fields(start.config.get("input_fields", []) if start else [], input, what="input")
    _runnable_on(project, workflow_identifier, deployment)
    run_id = (workflow_id or "").strip() or (start.config.get("workflow_id") if start else "")
    run_id = new_run_id(project, run_id or f"{workflow_identifier}-{uuid.uuid4().hex[:12]}")
    started_by = getattr(user, "username", "") or "system"

    async def start_it(client: Client) -> RunRef:
        handle = await client.start_workflow(
            workflow_identifier,
            input,
            id=run_id,
            task_queue=project.task_queue,
            memo={"started_by": started_by},
        )
        return RunRef(handle.id, handle.result_run_id or "")

    try:
        return temporal.call(start_it)
    except WorkflowAlreadyStartedError:
        raise ValidationError(
            {"workflow_id": [f"A run with id '{run_id}' is already running; choose another id or wait for it."]}
        ) from None


def _summary(execution, memo: dict) -> RunSummary:
    # Visibility spells the pinned version "<deployment-name>:<build-id>".
    version = (execution.search_attributes.get("TemporalWorkerDeploymentVersion") or [""])[0]
    return RunSummary.of(execution, str(version).rpartition(":")[2], started_by=str(memo.get("started_by", "")))


def list_runs(project: Project, workflow_identifier: str, limit: int = 50) -> list[RunSummary]:
    """The newest runs of a workflow (visibility: eventually consistent, a just-started run may lag)."""
    workflow_graph(project, workflow_identifier)  # unknown identifiers are a clear error, not an empty list
    return _listed(f'WorkflowType="{workflow_identifier}" AND TaskQueue="{project.task_queue}"', limit)


def recent_runs(project: Project, limit: int = 10) -> list[RunSummary]:
    """The project's newest runs of any workflow, children left out (the project page; their parents link them)."""
    return _listed(f'TaskQueue="{project.task_queue}" AND ParentWorkflowId IS NULL', limit)


def _listed(query: str, limit: int) -> list[RunSummary]:
    async def runs(client: Client) -> list[RunSummary]:
        return [
            _summary(execution, await execution.memo()) async for execution in client.list_workflows(query, limit=limit)
        ]

    return temporal.call(runs)


def run_counts(project: Project, workflow_identifier: str) -> dict[str, int]:
    """Per-workflow statistics: how many runs are in each status (running, completed, failed, ...)."""
    query = f'WorkflowType="{workflow_identifier}" AND TaskQueue="{project.task_queue}" GROUP BY ExecutionStatus'

    async def count(client: Client) -> dict[str, int]:
        result = await client.count_workflows(query)
        return {
            str(group.group_values[0]).lower().removeprefix("workflow_execution_status_"): group.count
            for group in result.groups
        }

    return dict(sorted(temporal.call(count).items()))


async def project_handle(
    client: Client, project: Project, workflow_id: str, run_id: str | None = None
) -> tuple[WorkflowHandle, WorkflowExecutionDescription]:
    """The handle and description of a run of this project; `RunNotFound` otherwise."""
    handle = client.get_workflow_handle(run_id_in(project, workflow_id), run_id=run_id or None)
    try:
        description = await handle.describe()
    except RPCError as error:
        if error.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
            raise RunNotFound(f"No run '{workflow_id}' in {project.name}.") from None
        raise
    if description.task_queue != project.task_queue:
        raise RunNotFound(f"No run '{workflow_id}' in {project.name}.")
    return handle, description


def project_of_run(workflow_id: str) -> Project:
    """The project whose task queue runs `workflow_id` (for commands given only an id); `RunNotFound` if none.

    Only a full id names a run without its project: a short one is in every project's scope.
    """
    if prefix_of(workflow_id) is None:
        raise RunNotFound(
            f"No run '{workflow_id}' on Temporal: without --project, give the full workflow id "
            f"(with its project prefix, e.g. 0a1b2c3d{SEPARATOR}{workflow_id})."
        )

    async def task_queue(client: Client) -> str:
        try:
            return (await client.get_workflow_handle(workflow_id).describe()).task_queue
        except RPCError as error:
            if error.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
                raise RunNotFound(f"No run '{workflow_id}' on Temporal.") from None
            raise

    project = Project.objects.filter(task_queue=temporal.call(task_queue)).first()
    if project is None:
        raise RunNotFound(f"Run '{workflow_id}' does not belong to any project here.")
    return project


def describe_execution(project: Project, workflow_id: str, run_id: str | None = None) -> WorkflowExecutionDescription:
    """Temporal's description of a run of this project; `RunNotFound` otherwise."""
    return temporal.call(lambda client: project_handle(client, project, workflow_id, run_id))[1]


def signal_run(project: Project, workflow_id: str, signal: str, payload: Any, run_id: str | None = None) -> None:
    """Send one of the workflow's declared signals, its payload checked against `payload_fields`."""
    graph = run_graph(project, describe_execution(project, workflow_id, run_id))
    check_message(graph, declared_signals(graph), "signal", signal, payload, fields_key="payload_fields")
    _on_open_run(project, workflow_id, run_id, lambda handle: handle.signal(signal, payload))


def cancel_run(project: Project, workflow_id: str, run_id: str | None = None) -> None:
    """Ask the run to cancel (its steps see a cancellation and may clean up)."""
    _on_open_run(project, workflow_id, run_id, lambda handle: handle.cancel())


def terminate_run(project: Project, workflow_id: str, reason: str = "", run_id: str | None = None) -> None:
    """Stop the run at once; no code of it runs again."""
    reason = reason or "terminated from Workflow Studio"
    _on_open_run(project, workflow_id, run_id, lambda handle: handle.terminate(reason=reason))


def _on_open_run(project: Project, workflow_id: str, run_id: str | None, act) -> None:
    """Check the run belongs to the project, then `act(handle)`; a finished run is a ValidationError."""

    async def on_run(client: Client) -> None:
        handle, _ = await project_handle(client, project, workflow_id, run_id)
        try:
            await act(handle)
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise ValidationError(
                    "The run has already finished; only running runs take signals, cancel or terminate."
                ) from None
            raise

    temporal.call(on_run)
