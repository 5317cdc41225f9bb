"""`package-build`, compiled from the seeded graph, on a real (time-skipping) Temporal server.

Every pre-flight branch runs in its own test on a fresh copy of the sample
workspace: code missing (the scaffold creates the package), published
without an upgrade plan (early success), published with one (audited and
published at the new version), not published. Then the retry blocks: auth's
tests fail until the Fix Tests agent ran, and a package whose tests never
pass ends with failed phase "tests", its report still written. The
time-skipping server fires the retry blocks' backoff timers at once.
"""

from __future__ import annotations

import json
import uuid

import pytest
from temporalio.client import WorkflowFailureError

from examples.package_management.sample import prepare_workspace
from tests.compiler.execution import activity_ids
from tests.examples.seeded import in_scope, project_workspace, seeded_workflows, worker

pytestmark = [pytest.mark.temporal, pytest.mark.django_db]
FAST = {"build_delay_seconds": 0}


def published(workspace, *names: str):
    """Put packages in the workspace's registry at their manifest version, as an earlier build would."""
    for name in names:
        manifest = json.loads((workspace / "packages" / name / "package.json").read_text())
        entry = {
            "dependencies": manifest["dependencies"],
            "name": name,
            "published_by": "test",
            "version": manifest["version"],
        }
        (workspace / "registry" / f"{name}-{manifest['version']}.json").write_text(json.dumps(entry))
    return workspace


def build(env, run_async, tmp_path, package: str, *, workspace=None, **extra):
    """Run package-build for `package`; (result or the failure, history, progress)."""
    workspace = workspace or prepare_workspace(project_workspace(tmp_path))
    workflows = seeded_workflows(tmp_path, "package-build")
    payload = {"package_name": package, "workspace_root": str(workspace), "config": FAST, "build_id": "e2e", **extra}

    async def scenario():
        async with worker(env, workflows) as running:
            handle = await env.client.start_workflow(
                "package-build",
                payload,
                id=in_scope(running, f"build-{package}-{uuid.uuid4()}"),
                task_queue=running.task_queue,
            )
            try:
                outcome = await handle.result()
            except WorkflowFailureError as failure:
                outcome = failure
            return outcome, await handle.fetch_history(), await handle.query("progress")

    return run_async(scenario())


def test_code_missing_goes_straight_to_scaffold_and_build(time_skipping_env, run_async, tmp_path):
    result, history, progress = build(time_skipping_env, run_async, tmp_path, "metrics")

    assert result["success"] is True, result
    ids = activity_ids(history)
    assert ids[:3] == ["check-exists", "verify-dependencies", "scaffold"]
    assert "check-published" not in ids
    assert progress["nodes"]["check-published"] == "skipped"


def test_published_without_upgrade_plan_finishes_early_with_success(time_skipping_env, run_async, tmp_path):
    result, history, progress = build(time_skipping_env, run_async, tmp_path, "logger")

    assert result["success"] is True and result["skipped"] is True
    assert result["report"] == "already published at 1.0.0"
    assert activity_ids(history) == ["check-exists", "check-published", "check-upgrade-plan", "mark-published"]
    assert progress["nodes"]["scaffold"] == "skipped"


def test_published_with_upgrade_plan_is_audited_and_published_at_the_new_version(
    time_skipping_env, run_async, tmp_path
):
    workspace = published(prepare_workspace(project_workspace(tmp_path)), "core-utils")
    result, history, _ = build(time_skipping_env, run_async, tmp_path, "http-client", workspace=workspace)

    assert result["success"] is True, result
    assert result["version"] == "2.0.0"
    ids = activity_ids(history)
    assert ids[:5] == ["check-exists", "check-published", "check-upgrade-plan", "audit-upgrade", "verify-dependencies"]
    assert (workspace / "registry" / "http-client-2.0.0.json").is_file()


def test_not_published_is_audited_then_built_and_published(time_skipping_env, run_async, tmp_path):
    workspace = prepare_workspace(project_workspace(tmp_path))
    result, history, _ = build(time_skipping_env, run_async, tmp_path, "core-utils", workspace=workspace)

    assert result["success"] is True, result
    assert activity_ids(history) == [
        "check-exists", "check-published", "audit-state", "verify-dependencies", "scaffold",
        "build-package-1", "run-tests-1", "check-quality-1", "publish", "write-report",
    ]  # fmt: skip
    assert (workspace / "registry" / "core-utils-1.2.0.json").is_file()


def test_failing_tests_pass_after_the_fix_agent_ran(time_skipping_env, run_async, tmp_path):
    workspace = published(prepare_workspace(project_workspace(tmp_path)), "core-utils", "config-loader")
    result, history, progress = build(time_skipping_env, run_async, tmp_path, "auth", workspace=workspace)

    assert (result["success"], result["fix_attempts"], result["failed_phase"]) == (True, 1, None)
    ids = activity_ids(history)
    assert ids[ids.index("run-tests-1") :][:4] == ["run-tests-1", "fix-tests-1", "apply-tests-fix-1", "run-tests-2"]
    assert progress["attempts"] == {"run-tests-retry": 2}


def test_package_that_never_passes_fails_in_phase_tests_and_still_writes_its_report(
    time_skipping_env, run_async, tmp_path
):
    workspace = published(prepare_workspace(project_workspace(tmp_path)), "core-utils", "config-loader")
    manifest = workspace / "packages" / "auth" / "package.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "simulate": {"tests": "always_fail"}}))

    failure, history, progress = build(time_skipping_env, run_async, tmp_path, "auth", workspace=workspace)

    assert isinstance(failure, WorkflowFailureError)
    ids = activity_ids(history)
    assert [i for i in ids if i.startswith("run-tests")] == ["run-tests-1", "run-tests-2", "run-tests-3"]
    assert ids[-2:] == ["write-report", "fail-build"]
    report = json.loads((workspace / "reports" / "e2e" / "auth.json").read_text())
    assert (report["success"], report["failed_phase"]) == (False, "tests")
    assert progress["nodes"]["run-tests-retry"] == "failed"
