"""The example activities on a real Temporal worker, called by name with one dict as generated code calls them.

A hand-written workflow plays package-build's Build -> Tests (retried after
a fix) -> Publish -> Write Report, so this checks the registry's adapter and
that step logs are tagged with the workflow run id (Write Report counts only
its own run's fixes). The worker polls a task queue of the seeded project's
form: the activities work only in that project's workspace directory.
"""

import json
import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    import examples.package_management.activities  # noqa: F401  (registers the activities)
    from compiler.activities.registry import get_activity
    from examples.package_management.sample import prepare_workspace
    from projects.models import task_queue_name
    from tests.examples.seeded import PROJECT_SLUG, project_workspace

ONCE = RetryPolicy(maximum_attempts=1)
NAMES = ("build_package", "run_tests", "apply_fix", "publish_package", "write_report")


@workflow.defn(name="package-build-by-hand")
class PackageBuildByHand:
    @workflow.run
    async def run(self, workspace_root: str) -> dict:
        package = {"workspace_root": workspace_root, "package_name": "auth"}
        steps = {"dependencies": {}, "scaffold": {}}
        steps["build"] = await self.call("build_package", {**package, "config": {"build_delay_seconds": 0}})
        for _ in range(2):
            try:
                steps["tests"] = await self.call("run_tests", {**package, "config": {}})
                break
            except ActivityError:
                await self.call("apply_fix", {**package, "step": "tests", "fix": {"fix": "refresh the token"}})
        steps["quality"] = {}
        steps["publish"] = await self.call("publish_package", package)
        return await self.call("write_report", {**package, "steps": steps, "build_id": "on-worker"})

    async def call(self, name: str, arguments: dict):
        return await workflow.execute_activity(
            name, arguments, start_to_close_timeout=timedelta(seconds=30), retry_policy=ONCE
        )


async def _run(env, workspace_root: str):
    queue = task_queue_name(uuid.uuid4(), PROJECT_SLUG)
    specs = [get_activity(name).temporal_activity for name in NAMES]
    async with Worker(env.client, task_queue=queue, workflows=[PackageBuildByHand], activities=specs):
        handle = await env.client.start_workflow(
            "package-build-by-hand", workspace_root, id=f"pm-{uuid.uuid4()}", task_queue=queue
        )
        return await handle.result(), handle.result_run_id


def test_activities_run_on_a_worker_and_the_report_counts_only_this_runs_fixes(temporal_env, run_async, tmp_path):
    workspace = prepare_workspace(project_workspace(tmp_path))
    log = workspace / "packages" / "auth" / ".build" / "steps.jsonl"
    log.parent.mkdir(parents=True)
    log.write_text(json.dumps({"run": "an-earlier-run", "step": "fix", "ok": True, "error": None}) + "\n")

    report, run_id = run_async(_run(temporal_env, str(workspace)))

    assert (report["success"], report["failed_phase"], report["fix_attempts"]) == (True, None, 1)
    assert report["version"] == "0.9.0"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["step"], e["ok"]) for e in entries if e["run"] == run_id] == [
        ("build", True), ("tests", False), ("fix", True), ("tests", True), ("publish", True),
    ]  # fmt: skip
    assert (workspace / "registry" / "auth-0.9.0.json").is_file()
