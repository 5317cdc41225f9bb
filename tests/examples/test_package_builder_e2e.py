"""package-builder, compiled from the seeded graph, builds the sample workspace end to end.

The real example activities run on a copy of the sample workspace; each
package is built by a `package-build` child (compiled from its seeded graph
too). auth's tests fail until the scripted fix agent's fix is applied, so a
retry block with remediation runs inside one child; http-client and logger
are already published (http-client with an upgrade plan, so it is rebuilt).
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from temporalio.api.enums.v1 import EventType

from compiler.runtime.project_ids import unprefixed
from examples.package_management.sample import prepare_workspace
from tests.examples.seeded import in_scope, project_workspace
from tests.examples.seeded_workflows import package_worker, seeded_workflows

pytestmark = [pytest.mark.temporal, pytest.mark.django_db(transaction=True)]

DEPENDENCIES = {
    "api-server": ["auth", "database", "logger"],
    "auth": ["config-loader", "http-client"],
    "cli": ["api-server", "config-loader"],
    "config-loader": ["core-utils"],
    "core-utils": [],
    "database": ["config-loader", "core-utils"],
    "http-client": ["core-utils", "logger"],
    "logger": [],
}


async def build(env, workflows, payload: dict):
    async with package_worker(env, workflows) as worker:
        handle = await env.client.start_workflow(
            "package-builder",
            payload,
            id=in_scope(worker, f"package-builder-{uuid.uuid4()}"),
            task_queue=worker.task_queue,
        )
        result = await handle.result()
        return result, await handle.fetch_history(), await handle.query("progress")


def child_events(history) -> list[tuple[str, str]]:
    """("started" | "completed", package) of the package-build children, in history order."""
    events = []
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
            child = event.child_workflow_execution_started_event_attributes.workflow_execution.workflow_id
            events.append(("started", unprefixed(child).removeprefix("build-e2e-")))
        elif event.event_type == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
            child = event.child_workflow_execution_completed_event_attributes.workflow_execution.workflow_id
            events.append(("completed", unprefixed(child).removeprefix("build-e2e-")))
    return events


def test_package_builder_builds_the_sample_workspace_in_dependency_order(temporal_env, run_async, tmp_path):
    workflows = seeded_workflows(tmp_path / "generated")
    workspace = prepare_workspace(project_workspace(tmp_path))
    payload = {
        "build_id": "e2e",
        "workspace_root": str(workspace),
        "config": {"max_concurrent_builds": 2, "build_delay_seconds": 0},
    }

    report, history, progress = run_async(build(temporal_env, workflows, payload))

    # logger is published with no upgrade plan; http-client is published but has one, so it is rebuilt.
    built = sorted(set(DEPENDENCIES) - {"logger"})
    events = child_events(history)
    completed: list[str] = []
    running = 0
    for kind, package in events:
        if kind == "started":
            waiting = [dep for dep in DEPENDENCIES[package] if dep in built]
            assert set(waiting) <= set(completed), f"{package} started before {set(waiting) - set(completed)}"
            running += 1
            assert running <= 2
        else:
            completed.append(package)
            running -= 1
    assert sorted(completed) == built
    assert report["success"] is True
    assert report["packages"] == {**dict.fromkeys(built, "completed"), "logger": "already published"}
    assert report["totals"] == {"packages": 8, "built": 7, "failed": 0, "not_built": 0, "already_published": 1}
    on_disk = json.loads((workspace / "reports" / "e2e" / "build-report.json").read_text())
    assert on_disk["packages"] == report["packages"]
    assert progress["items"]["build-packages"] == dict.fromkeys(completed, "completed")
    assert progress["nodes"]["build-packages"] == "completed"


def test_a_failing_package_skips_its_dependents_and_the_report_says_why(temporal_env, run_async, tmp_path):
    workflows = seeded_workflows(tmp_path / "generated")
    workspace = prepare_workspace(project_workspace(tmp_path))
    manifest_path = workspace / "packages" / "database" / "package.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "simulate": {"tests": "always_fail"}}))
    payload = {
        "build_id": "e2e",
        "workspace_root": str(workspace),
        "config": {"max_concurrent_builds": 3, "build_delay_seconds": 0},
    }

    report, history, progress = run_async(build(temporal_env, workflows, payload))

    skipped = {"api-server", "cli"}  # api-server needs database; cli needs api-server
    assert {package for kind, package in child_events(history) if kind == "started"} == (
        set(DEPENDENCIES) - {"logger"} - skipped
    )
    assert report["success"] is False
    assert {name: status for name, status in report["packages"].items() if status != "completed"} == {
        "database": "failed",
        "api-server": "skipped",
        "cli": "skipped",
        "logger": "already published",
    }
    failures = {failure["package"]: failure for failure in report["failures"]}
    assert failures["database"]["failed_phase"] == "tests"
    assert failures["api-server"]["error"] == failures["cli"]["error"] == "dependency database failed"
    assert progress["items"]["build-packages"]["api-server"] == "skipped"


def test_without_a_workspace_root_each_build_id_builds_again_on_its_own_copy(temporal_env, run_async, tmp_path):
    """The demo's default: a fresh copy of the sample per build_id, so a second build is not "already published"."""
    workflows = seeded_workflows(tmp_path / "generated")
    build_ids = [f"again-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    roots = [Path(settings.WORKSPACE_BASE_DIR) / "package-management" / "builds" / build_id for build_id in build_ids]
    fast = {"max_concurrent_builds": 4, "build_delay_seconds": 0}
    try:
        for build_id, root in zip(build_ids, roots, strict=True):
            report, _, _ = run_async(build(temporal_env, workflows, {"build_id": build_id, "config": fast}))
            assert report["totals"]["built"] == 7 and report["totals"]["already_published"] == 1, report["totals"]
            assert json.loads((root / "reports" / build_id / "build-report.json").read_text())["success"] is True
    finally:
        for root in roots:
            shutil.rmtree(root, ignore_errors=True)
