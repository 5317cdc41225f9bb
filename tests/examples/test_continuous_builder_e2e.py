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
import time
import uuid

import pytest
from temporalio.api.enums.v1 import EventType

from compiler.runtime.project_ids import unprefixed
from examples.package_management.sample import prepare_workspace
from tests.examples.seeded import in_scope, project_workspace
from tests.examples.seeded_workflows import package_worker, seeded_workflows

pytestmark = [pytest.mark.temporal, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace(tmp_path, settings):
    """A workspace copy; the packages MCP server keeps its queue in the test's directory."""
    servers = copy.deepcopy(settings.MCP_SERVERS)
    servers["packages"]["env"]["PACKAGES_QUEUE_FILE"] = str(tmp_path / "packages-queue.json")
    settings.MCP_SERVERS = servers
    return prepare_workspace(project_workspace(tmp_path))


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
            id=in_scope(self.worker, f"continuous-builder-{uuid.uuid4()}"),
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
        """(kind, package) of the children over every run of the orchestrator, in history order.

        kind: "started", "completed", "failed", "canceled" or "cancel requested".
        """
        events = []
        run_id: str | None = None
        handle = self.env.client.get_workflow_handle(self.handle.id, run_id=self.first_run_id)
        while handle is not None:
            run_id = None
            async for event in handle.fetch_history_events():
                if event.event_type in CHILD_EVENTS:
                    kind, field = CHILD_EVENTS[event.event_type]
                    child = getattr(event, f"{field}_event_attributes").workflow_execution.workflow_id
                    events.append((kind, unprefixed(child).removeprefix("continuous-build-")))
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


CHILD_EVENTS = {
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: ("started", "child_workflow_execution_started"),
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: ("completed", "child_workflow_execution_completed"),
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED: ("failed", "child_workflow_execution_failed"),
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED: ("canceled", "child_workflow_execution_canceled"),
    EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED: (
        "cancel requested",
        "external_workflow_execution_cancel_requested",
    ),
}
ENDED = ("completed", "failed", "canceled")


def most_running(events: list[tuple[str, str]]) -> int:
    running = peak = 0
    for kind, _ in events:
        running += 1 if kind == "started" else -1 if kind in ENDED else 0
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


def test_duplicates_merge_with_the_higher_priority_and_pause_holds_new_starts_until_resume(
    temporal_env, run_async, workspace, workflows
):
    raised, kept, lowered = trivial_packages(workspace, 3)

    async def scenario():
        async with Orchestrator(temporal_env, workflows, workspace, max_concurrency=1, build_delay=0) as run:
            await run.signal("pause")
            await run.signal("newPackages", [{"name": raised, "priority": 1}, {"name": kept, "priority": 2}])
            await run.signal("newPackages", [{"name": raised, "priority": 9}, {"name": lowered, "priority": 5}])
            await run.signal("newPackages", [{"name": lowered, "priority": 0}])
            queued = (await run.handle.query("state"))["queue"]
            await asyncio.sleep(1.5)
            held = await run.children()
            await run.signal("resume")
            await run.until(lambda: _equal(run.completed(), sorted([raised, kept, lowered])))
            await run.signal("drain")
            await run.handle.result()
            return queued, held, await run.children()

    queued, held, events = run_async(scenario())

    assert {entry["name"]: entry["priority"] for entry in queued} == {raised: 9, kept: 2, lowered: 5}
    assert held == []
    assert [name for kind, name in events if kind == "started"] == [raised, lowered, kept]


def test_pause_lets_running_builds_finish_and_starts_nothing_new(temporal_env, run_async, workspace, workflows):
    names = trivial_packages(workspace, 4)

    async def scenario():
        async with Orchestrator(temporal_env, workflows, workspace, max_concurrency=2, build_delay=0.5) as run:
            await run.signal("newPackages", [{"name": name, "priority": 0} for name in names])
            await run.until(lambda: _count(run.children(), "started", 2))
            await run.signal("pause")
            await run.until(lambda: _count(run.children(), "completed", 2))
            await asyncio.sleep(1.5)
            paused = await run.children()
            queue = (await run.handle.query("state"))["queue"]
            await run.signal("resume")
            await run.until(lambda: _equal(run.completed(), names))
            await run.signal("drain")
            await run.handle.result()
            return paused, queue

    paused, queue = run_async(scenario())

    # The first two start in one workflow task, so their started events may come in either order.
    assert sorted(name for kind, name in paused if kind == "started") == names[:2]
    assert [entry["name"] for entry in queue] == names[2:]


def test_emergency_stop_cancels_running_children_and_completes(temporal_env, run_async, workspace, workflows):
    names = trivial_packages(workspace, 3)

    async def scenario():
        async with Orchestrator(temporal_env, workflows, workspace, max_concurrency=2, build_delay=30) as run:
            await run.signal("newPackages", [{"name": name, "priority": 0} for name in names])
            await run.until(lambda: _count(run.children(), "started", 2))
            await run.signal("emergencyStop")
            result = await run.handle.result()
            return result, await run.children()

    started = time.monotonic()
    result, events = run_async(scenario())

    # A build takes minutes with this delay; cancelled, each stops at once. package-build's error
    # edges let the cancellation through (they do not write a report and fail), so each child ends
    # canceled whichever step it was in.
    assert time.monotonic() - started < 60
    assert sorted(name for kind, name in events if kind == "cancel requested") == names[:2]
    ended = {name: kind for kind, name in events if kind in ENDED}
    assert ended == {name: "canceled" for name in names[:2]}
    assert result["stopped"] is True
    assert [entry["name"] for entry in result["queue"]] == [names[2]]
    assert {key: entry["status"] for key, entry in result["last_round"].items()} == {
        name: "cancelled" for name in names[:2]
    }


def test_sixty_packages_continue_as_new_and_each_is_built_exactly_once(temporal_env, run_async, workspace, workflows):
    names = trivial_packages(workspace, 60)

    async def scenario():
        async with Orchestrator(temporal_env, workflows, workspace, max_concurrency=4, build_delay=0) as run:
            await run.signal("newPackages", [{"name": name, "priority": 0} for name in names])
            await run.until(lambda: _equal(run.completed(), names), timeout=400)
            await run.signal("drain")
            await run.handle.result()
            return await run.children(), await run.runs()

    events, runs = run_async(scenario(), timeout=600)

    assert runs >= 2
    assert sorted(name for kind, name in events if kind == "started") == names
    assert sorted(name for kind, name in events if kind == "completed") == names
    assert most_running(events) <= 4


async def _count(awaitable, kind: str, expected: int) -> bool:
    return sum(1 for found, _ in await awaitable if found == kind) >= expected
