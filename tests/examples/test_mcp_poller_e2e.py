"""`mcp-poller` and `continuous-builder`, compiled from the seeded graphs, end to end on a dev server.

One triggered poller run asks the local packages MCP server for the build
queue and signal-with-starts the orchestrator (`continuous-builder-orchestrator`)
with newPackages; the orchestrator builds them with `package-build` children
and marks each published in the MCP queue. The orchestrator starts all four
at once (its spawner has no depends_on), so core-utils is published in the
workspace beforehand: config-loader and metrics depend on it, and a failed
first build would wait a minute in Re-queue Build. With an empty queue the
poller signals nobody.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from pathlib import Path

import pytest

from examples.package_management.sample import prepare_workspace
from tests.compiler.execution import activity_ids
from tests.examples.seeded import PROJECT_SLUG, in_scope, project_workspace, seeded_workflows, worker

pytestmark = [pytest.mark.temporal, pytest.mark.django_db]

REPO = Path(__file__).resolve().parents[2]
ORCHESTRATOR = "continuous-builder-orchestrator"
WORKFLOWS = ("mcp-poller", "continuous-builder", "package-build")


@pytest.fixture
def queue_file(tmp_path, settings) -> Path:
    """The MCP server's queue lives in the test's directory (seeded from the sample's queue.json)."""
    path = tmp_path / "packages-queue.json"
    settings.MCP_SERVERS = {
        "packages": {
            "transport": "stdio",
            "command": sys.executable,
            "args": ["-m", "examples.package_management.mcp_server"],
            "env": {"PACKAGES_QUEUE_FILE": str(path)},
            "cwd": str(REPO),
            "projects": [PROJECT_SLUG],
        }
    }
    return path


def statuses(queue_file: Path) -> dict[str, str]:
    return {entry["name"]: entry.get("status", "queued") for entry in json.loads(queue_file.read_text())["packages"]}


async def until_taken(handle) -> dict:
    """Wait until the orchestrator's spawner has taken every queued package."""
    for _ in range(400):
        state = await handle.query("state")
        if not state["queue"]:
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"the orchestrator never took its queue: {state}")


def test_poller_signal_with_starts_the_orchestrator_which_builds_the_queue(
    temporal_env, run_async, tmp_path, queue_file
):
    workspace = prepare_workspace(project_workspace(tmp_path))
    (workspace / "registry" / "core-utils-1.2.0.json").write_text(
        json.dumps({"dependencies": [], "name": "core-utils", "published_by": "test", "version": "1.2.0"})
    )
    workflows = seeded_workflows(tmp_path, *WORKFLOWS)
    env = temporal_env

    async def scenario():
        async with worker(env, workflows) as running:
            poller = await env.client.start_workflow(
                "mcp-poller", {"workspace_root": str(workspace)}, id=in_scope(running, f"poller-{uuid.uuid4()}"),
                task_queue=running.task_queue,
            )  # fmt: skip
            polled = await poller.result()
            orchestrator = env.client.get_workflow_handle(in_scope(running, ORCHESTRATOR))
            await until_taken(orchestrator)
            await orchestrator.signal("drain")
            finished = await orchestrator.result()
            return polled, activity_ids(await poller.fetch_history()), finished

    polled, poller_activities, finished = run_async(scenario())

    assert polled == {"signalled": True, "packages": 4}
    assert poller_activities == ["query-mcp", "signal-orchestrator"]
    assert finished["drained"] is True and finished["queue"] == []
    built = {name: report["status"] for name, report in finished["last_round"].items()}
    assert built == {name: "completed" for name in ("config-loader", "core-utils", "logger", "metrics")}
    assert statuses(queue_file) == {
        "core-utils": "published", "config-loader": "published", "logger": "published", "metrics": "published",
        "legacy-adapter": "blocked",
    }  # fmt: skip
    assert (workspace / "registry" / "config-loader-0.4.0.json").is_file()


def test_poller_with_an_empty_queue_signals_nobody(temporal_env, run_async, tmp_path, queue_file):
    queue_file.write_text(json.dumps({"packages": [{"name": "legacy-adapter", "status": "blocked"}]}))
    workflows = seeded_workflows(tmp_path, "mcp-poller")
    env = temporal_env

    async def scenario():
        async with worker(env, workflows) as running:
            poller = await env.client.start_workflow(
                "mcp-poller", {"workspace_root": str(project_workspace(tmp_path))},
                id=in_scope(running, f"poller-{uuid.uuid4()}"),
                task_queue=running.task_queue,
            )  # fmt: skip
            return await poller.result(), activity_ids(await poller.fetch_history())

    assert run_async(scenario()) == ({"signalled": False, "packages": 0}, ["query-mcp"])
