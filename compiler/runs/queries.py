"""Ask a run one of its queries (the API and `manage.py query_workflow`; the run page reads `progress`).

A query reads a run's state without changing it. The names a run answers
are those its build's graph declares (`query` nodes) plus the built-in
`progress` every generated workflow has; any other name is a
`ValidationError` naming the declared ones, before anything reaches
Temporal. A run answers through a worker of its build (a closed run by
replaying its history), so a run no worker serves, or a query whose
expression fails, is a `QueryUnanswered` with Temporal's message, not a
mistake of the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from temporalio.client import Client, WorkflowQueryFailedError, WorkflowQueryRejectedError
from temporalio.service import RPCError, RPCStatusCode

from compiler import temporal
from compiler.ir import Graph
from compiler.runs.control import describe_execution, project_handle, run_graph
from projects.models import Project

# How long a caller waits for a worker to answer (a worker of the run's build must be running).
QUERY_TIMEOUT = timedelta(seconds=10)
# The run page's refresh must not hang on a run no worker serves.
PANEL_TIMEOUT = timedelta(seconds=3)
BUILT_IN_QUERIES = ("progress",)
# No worker took the query in time (the client's own timeout reports CANCELLED), or none can (no poller).
UNANSWERED_STATUSES = (RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED, RPCStatusCode.FAILED_PRECONDITION)


class QueryUnanswered(Exception):
    """The run could not answer: no worker of its build, or the query itself failed."""


def declared_queries(graph: Graph) -> list[str]:
    """The query names a run of `graph` answers, sorted, the built-in ones included."""
    names = {node.config["name"] for node in graph.of_type("query") if node.config.get("name")}
    return sorted(names | set(BUILT_IN_QUERIES))


def query_run(project: Project, workflow_id: str, query: str, run_id: str | None = None) -> Any:
    """The run's answer to `query`; ValidationError for an undeclared name, QueryUnanswered when none comes."""
    graph = run_graph(project, describe_execution(project, workflow_id, run_id))
    known = declared_queries(graph)
    if query not in known:
        raise ValidationError(
            {"query": [f"'{query}' is not a query of {graph.identifier} (declared: {', '.join(known)})"]}
        )

    async def ask(client: Client) -> Any:
        handle, _ = await project_handle(client, project, workflow_id, run_id)
        try:
            return await handle.query(query, rpc_timeout=QUERY_TIMEOUT)
        except (WorkflowQueryFailedError, WorkflowQueryRejectedError) as error:
            raise QueryUnanswered(f"The query '{query}' failed: {error}") from None
        except RPCError as error:
            if error.status in UNANSWERED_STATUSES:
                raise QueryUnanswered(
                    f"No worker answered the query '{query}' ({error.message}); "
                    "a worker of the run's build must be running (`python manage.py run_worker`)."
                ) from None
            raise

    return temporal.call(ask)


@dataclass(frozen=True)
class QueryAnswer:
    """One declared query on the run page's state panel: its answer, or why there is none."""

    name: str
    answer: Any = None
    problem: str = ""


def state_panel(project: Project, workflow_id: str, run_id: str, graph: Graph) -> list[QueryAnswer]:
    """The answers to the graph's own queries (not `progress`, which the drawn graph shows), for the run page.

    Asked on every refresh of the page's live region, one query call each;
    a query that fails or finds no worker shows its reason instead.
    """
    names = [name for name in declared_queries(graph) if name not in BUILT_IN_QUERIES]
    if not names:
        return []

    async def ask_all(client: Client) -> list[QueryAnswer]:
        handle, _ = await project_handle(client, project, workflow_id, run_id)
        answers = []
        for name in names:
            try:
                answers.append(QueryAnswer(name, await handle.query(name, rpc_timeout=PANEL_TIMEOUT)))
            except (WorkflowQueryFailedError, WorkflowQueryRejectedError, RPCError) as error:
                answers.append(QueryAnswer(name, problem=f"No answer: {error}"))
        return answers

    return temporal.call(ask_all)
