"""The replay check: would running executions survive being moved to new code?

Before a build becomes current, the histories of running executions of every
changed workflow are replayed against the new workflow classes with
`temporalio.worker.Replayer`. A replay that fails is a change that is not
deterministic for that execution. Deploys stay safe anyway, because every
execution is PINNED to the build it started on and keeps running there; the
report tells the user which executions could never be upgraded (e.g. by a
manual versioning override) and that the old build will stay up until they
finish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer

MAX_EXECUTIONS_PER_WORKFLOW = 50


@dataclass
class ReplayReport:
    """Per changed workflow: how many running executions were replayed, and which broke."""

    checked: dict[str, int] = field(default_factory=dict)
    incompatible: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.incompatible

    def as_dict(self) -> dict:
        return {"checked": self.checked, "incompatible": self.incompatible}

    def lines(self) -> list[str]:
        """Human-readable summary lines (the deploy command prints these)."""
        lines = [
            f"replay check: {identifier}: {count} running execution(s) replayed"
            for identifier, count in sorted(self.checked.items())
        ]
        lines += [
            f"  would not replay: {item['workflow']} {item['workflow_id']} (run {item['run_id']}): {item['error']}"
            for item in self.incompatible
        ]
        return lines


def running_query(identifier: str, task_queue: str) -> str:
    """Visibility query for the running executions of one workflow type on a task queue."""
    return f'WorkflowType="{_quoted(identifier)}" AND ExecutionStatus="Running" AND TaskQueue="{_quoted(task_queue)}"'


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


async def fetch_running_histories(
    client: Client, identifier: str, task_queue: str, limit: int = MAX_EXECUTIONS_PER_WORKFLOW
) -> list[WorkflowHistory]:
    """Histories of (at most `limit`) running executions of `identifier` on `task_queue`."""
    histories = []
    async for execution in client.list_workflows(running_query(identifier, task_queue), limit=limit):
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        histories.append(await handle.fetch_history())
    return histories


async def replay_check(
    client: Client,
    *,
    task_queue: str,
    workflows: dict[str, type],
    changed: list[str],
) -> ReplayReport:
    """Replay running executions of each `changed` workflow against `workflows` (the new classes)."""
    report = ReplayReport()
    histories: dict[str, WorkflowHistory] = {}
    types: dict[str, str] = {}
    for identifier in sorted(changed):
        found = await fetch_running_histories(client, identifier, task_queue)
        report.checked[identifier] = len(found)
        for history in found:
            histories[history.run_id] = history
            types[history.run_id] = identifier
    if not histories:
        return report

    replayer = Replayer(workflows=list(workflows.values()))

    async def each_history():
        for history in histories.values():
            yield history

    results = await replayer.replay_workflows(each_history(), raise_on_replay_failure=False)
    for run_id, failure in sorted(results.replay_failures.items()):
        report.incompatible.append(
            {
                "workflow_id": histories[run_id].workflow_id,
                "run_id": run_id,
                "workflow": types[run_id],
                "error": str(failure),
            }
        )
    return report
