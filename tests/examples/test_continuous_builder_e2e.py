"""continuous-builder, compiled from the seeded graph, on a real dev server.

The orchestrator is fed with the `newPackages` signal; its children are the
seeded `package-build` workflow building generated trivial packages (copies
of core-utils) in a copy of the sample workspace. Mark Published and Mark
Queued call the local packages MCP server, pointed at a queue file in the
test's directory. The dev server suggests continue-as-new after 40 history
events (tests/conftest.py), so a long feed exercises continue-as-new.
"""

from __future__ import annotations

import asyncio
import copy
import json
import shutil
import uuid

import pytest
from temporalio.api.enums.v1 import EventType

from examples.package_management.sample import prepare_workspace
from tests.examples.seeded_workflows import package_worker, seeded_workflows

pytestmark = [pytest.mark.temporal, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace(tmp_path, settings):
    """A workspace copy; the packages MCP server keeps its queue in the test's directory."""
    servers = copy.deepcopy(settings.MCP_SERVERS)
    servers["packages"]["env"]["PACKAGES_QUEUE_FILE"] = str(tmp_path / "packages-queue.json")
    settings.MCP_SERVERS = servers
    return prepare_workspace(tmp_path / "workspace")


@pytest.fixture
def workflows(tmp_path):
    return seeded_workflows(tmp_path / "generated")


def trivial_packages(workspace, count: int) -> list[str]:
    """`count` dependency-free packages copied from core-utils, with names unique to this test."""
    prefix = f"gen{uuid.uuid4().hex[:6]}"
    names = [f"{prefix}-{number:02d}" for number in range(count)]
    for name in names:
        target = workspace / "packages" / name
        shutil.copytree(workspace / "packages" / "core-utils", target)
        manifest = json.loads((target / "package.json").read_text())
        (target / "package.json").write_text(json.dumps({**manifest, "name": name, "version": "0.1.0"}))
    return names


class Orchestrator:
    """A running continuous-builder with a worker; signals, queries and its children's history."""

    def __init__(self, env, workflows, workspace, max_concurrency: int, build_delay: float) -> None:
        self.env, self.workflows = env, workflows
        self.payload = {
            "max_concurrency": max_concurrency,
            "workspace_root": str(workspace),
            "config": {"build_delay_seconds": build_delay},
        }

    async def __aenter__(self):
        self.worker = package_worker(self.env, self.workflows)
        await self.worker.__aenter__()
        started = await self.env.client.start_workflow(
            "continuous-builder",
            self.payload,
            id=f"continuous-builder-{uuid.uuid4()}",
            task_queue=self.worker.task_queue,
        )
        self.first_run_id = started.first_execution_run_id
        # Without a run id: signals and queries go to the latest run, the result follows continue-as-new.
        self.handle = self.env.client.get_workflow_handle(started.id)
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.worker.__aexit__(*exc_info)

    async def signal(self, name: str, payload=None) -> None:
        if payload is None:
            await self.handle.signal(name)
        else:
            await self.handle.signal(name, payload)

    async def until(self, check, timeout: float = 120) -> None:
        """Poll until `await check()` holds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not await check():
            assert asyncio.get_running_loop().time() < deadline, await self.handle.query("state")
            await asyncio.sleep(0.3)

    async def completed(self) -> list[str]:
        return sorted(name for kind, name in await self.children() if kind == "completed")

    async def children(self) -> list[tuple[str, str]]:
        """("started" | "completed" | "canceled" | "failed", package) over every run of the orchestrator."""
        events = []
        run_id: str | None = None
        kinds = {
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: "started",
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: "completed",
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED: "canceled",
            EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED: "failed",
        }
        handle = self.env.client.get_workflow_handle(self.handle.id, run_id=self.first_run_id)
        while handle is not None:
            run_id = None
            async for event in handle.fetch_history_events():
                if event.event_type in kinds:
                    attributes = getattr(event, _attributes(event))
                    child = attributes.workflow_execution.workflow_id.removeprefix("continuous-build-")
                    events.append((kinds[event.event_type], child))
                if event.HasField("workflow_execution_continued_as_new_event_attributes"):
                    run_id = event.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
            handle = self.env.client.get_workflow_handle(self.handle.id, run_id=run_id) if run_id else None
        return events

    async def runs(self) -> int:
        count, run_id = 0, self.first_run_id
        while run_id:
            count += 1
            handle = self.env.client.get_workflow_handle(self.handle.id, run_id=run_id)
            run_id = None
            async for event in handle.fetch_history_events():
                if event.HasField("workflow_execution_continued_as_new_event_attributes"):
                    run_id = event.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
        return count


def _attributes(event) -> str:
    return next(
        field.name
        for field, _ in event.ListFields()
        if field.name.startswith("child_workflow_execution_") and field.name.endswith("_attributes")
    )


def most_running(events: list[tuple[str, str]]) -> int:
    running = peak = 0
    for kind, _ in events:
        running += 1 if kind == "started" else -1
        peak = max(peak, running)
    return peak


async def _equal(awaitable, expected) -> bool:
    return await awaitable == expected


def test_five_packages_never_run_more_than_two_at_once_and_drain_completes(
    temporal_env, run_async, workspace, workflows
):
    names = trivial_packages(workspace, 5)

    async def scenario():
        async with Orchestrator(temporal_env, workflows, workspace, max_concurrency=2, build_delay=0.2) as run:
            await run.signal("newPackages", [{"name": name, "priority": 1} for name in names])
            await run.until(lambda: _equal(run.completed(), names))
            await run.signal("drain")
            return await run.handle.result(), await run.children()

    result, events = run_async(scenario())

    assert most_running(events) == 2
    assert sorted(name for kind, name in events if kind == "completed") == names
    assert result["drained"] is True and result["queue"] == []
