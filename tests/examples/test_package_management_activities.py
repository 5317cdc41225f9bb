"""The example activities on a temporary copy of the sample workspace, run as the seeded project's activities.

No worker: each activity runs in Temporal's ActivityEnvironment on a task
queue of the project's form, which is how the activities learn their
project and so the one workspace directory they may use.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from compiler.activities.registry import get_activity, load_activity_modules
from compiler.runtime.scheduling import dependency_layers
from examples.package_management.activities import planning, preflight, steps
from examples.package_management.graphs import workflow_documents
from examples.package_management.sample import SAMPLE_DIR, Workspace, prepare_workspace
from tests.compiler.activity_context import run_in_project
from tests.config.production_settings import production_settings
from tests.examples.seeded import PROJECT_SLUG, project_workspace

CONFIG = {"build_delay_seconds": 0}


def run(coroutine, project: str = PROJECT_SLUG):
    """Await an activity's coroutine as a worker of `project` runs it: on the project's task queue."""

    async def activity_body():
        return await coroutine

    return run_in_project(activity_body, project=project)


@pytest.fixture
def ws(tmp_path):
    return str(prepare_workspace(project_workspace(tmp_path)))


def layers_of(records):
    return dependency_layers({r["name"]: r["dependencies"] for r in records})


def publish(ws, name):
    """Build, test, check and publish a package that has no simulated failures."""
    run(steps.build_package(ws, name, CONFIG))
    run(steps.publish_package(ws, name))


def sample_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(SAMPLE_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(SAMPLE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_every_activity_of_the_seed_graphs_is_registered(settings):
    load_activity_modules(settings.WORKFLOW_ACTIVITY_MODULES)

    names = {
        node["config"]["activity"]
        for document in workflow_documents()
        for node in document["nodes"]
        if node["type"] == "activity"
    }
    assert {name for name in names if get_activity(name) is None} == set()


def test_the_checked_in_sample_is_never_the_workspace(settings):
    with pytest.raises(ValueError, match="checked-in sample"):
        prepare_workspace(SAMPLE_DIR / "packages")
    # even when the project's workspace directory (here examples/package_management) holds it
    settings.WORKSPACE_BASE_DIR = str(SAMPLE_DIR.parent.parent)

    async def open_sample():
        return Workspace(SAMPLE_DIR)

    with pytest.raises(ApplicationError, match="checked-in sample"):
        run_in_project(open_sample, project=SAMPLE_DIR.parent.name)


def test_a_missing_workspace_is_prepared_on_first_use(tmp_path):
    fresh = project_workspace(tmp_path)
    records = run(planning.discover_packages(str(fresh)))
    assert [r["name"] for r in records] == [
        "api-server", "auth", "cli", "config-loader", "core-utils", "database", "http-client", "logger",
    ]  # fmt: skip
    assert (fresh / "registry" / "logger-1.0.0.json").is_file()


def test_discover_pulls_in_dependencies_of_named_packages_and_build_plans(ws):
    by_name = run(planning.discover_packages(ws, ["api-server"]))
    by_plan = run(planning.discover_packages(ws, [], "build-plans/web-stack.json"))
    assert by_name == by_plan
    assert "cli" not in {r["name"] for r in by_name} and len(by_name) == 7
    http = next(r for r in by_name if r["name"] == "http-client")
    assert http["plan_path"] == "plans/http-client.json"


def test_records_are_taken_as_given_so_a_cycle_reaches_the_dependency_graph(ws):
    records = run(planning.discover_packages(ws, [{"name": "a", "dependencies": ["b"]},
                                                  {"name": "b", "dependencies": ["a"]}]))  # fmt: skip
    with pytest.raises(ValueError, match="dependency cycle: a -> b -> a"):
        layers_of(records)


def test_verify_plans_skips_published_packages_and_keeps_upgrades(ws):
    records = run(planning.discover_packages(ws))
    plan = run(planning.verify_plans(ws, records, layers_of(records)))
    assert plan["skipped"] == [{"name": "logger", "version": "1.0.0", "reason": "already published"}]
    assert plan["upgrades"] == ["http-client"]
    order = [r["name"] for r in plan["to_build"]]
    assert order.index("core-utils") < order.index("config-loader") < order.index("auth") < order.index("cli")
    http = next(r for r in plan["to_build"] if r["name"] == "http-client")
    assert http["pending_dependencies"] == ["core-utils"]


def test_an_upgrade_plan_that_does_not_start_at_the_published_version_is_rejected(ws):
    plan_file = Path(ws) / "plans" / "http-client.json"
    plan_file.write_text(json.dumps({"from_version": "0.9.0", "to_version": "2.0.0"}))
    records = run(planning.discover_packages(ws))
    with pytest.raises(ApplicationError, match="registry's latest is 1.0.0") as raised:
        run(planning.verify_plans(ws, records, layers_of(records)))
    assert raised.value.type == "InvalidUpgradePlan" and raised.value.non_retryable


def test_preflight_checks(ws):
    assert run(preflight.check_package_exists(ws, "auth"))["code_exists"] is True
    assert run(preflight.check_package_exists(ws, "metrics"))["code_exists"] is False
    assert run(preflight.check_published(ws, "logger")) == {"published": True, "versions": ["1.0.0"], "latest": "1.0.0"}
    assert run(preflight.check_published(ws, "auth"))["published"] is False
    assert run(preflight.check_upgrade_plan(ws, "logger"))["has_plan"] is False
    upgrade = run(preflight.check_upgrade_plan(ws, "http-client"))
    audit = run(preflight.audit_upgrade(ws, "http-client", upgrade["plan"]))
    assert (audit["from_version"], audit["to_version"]) == ("1.0.0", "2.0.0")
    assert json.loads((Path(ws) / "packages" / "http-client" / "package.json").read_text())["version"] == "2.0.0"
    assert run(preflight.mark_published(ws, "logger", "1.0.0"))["status"] == "published"


def test_an_applied_upgrade_plan_counts_as_published(ws):
    upgrade = run(preflight.check_upgrade_plan(ws, "http-client"))
    run(preflight.audit_upgrade(ws, "http-client", upgrade["plan"]))
    publish(ws, "http-client")
    assert run(preflight.check_upgrade_plan(ws, "http-client"))["has_plan"] is False
    records = run(planning.discover_packages(ws, ["http-client"]))
    plan = run(planning.verify_plans(ws, records, layers_of(records)))
    assert {entry["name"]: entry["version"] for entry in plan["skipped"]} == {"http-client": "2.0.0", "logger": "1.0.0"}


def test_audit_state_removes_leftovers_of_an_unfinished_build(ws):
    run(steps.build_package(ws, "core-utils", CONFIG))
    assert run(preflight.audit_state(ws, "core-utils")) == {"clean": False, "removed": ["core-utils-1.2.0.json"]}
    assert run(preflight.audit_state(ws, "core-utils")) == {"clean": True, "removed": []}


def test_dependencies_must_be_published(ws):
    with pytest.raises(ApplicationError, match="config-loader, core-utils, not published") as raised:
        run(preflight.verify_dependencies(ws, "database", []))
    assert raised.value.type == "DependencyNotPublished"
    publish(ws, "core-utils")
    publish(ws, "config-loader")
    assert run(preflight.verify_dependencies(ws, "database"))["dependencies"] == {
        "config-loader": "0.4.0", "core-utils": "1.2.0",
    }  # fmt: skip


def test_auth_tests_fail_until_the_fix_is_applied_and_the_report_counts_the_fix(ws):
    run(steps.build_package(ws, "auth", CONFIG))
    with pytest.raises(ApplicationError, match="1 of 2 tests failed: refreshes an expired token") as raised:
        run(steps.run_tests(ws, "auth", CONFIG))
    assert raised.value.type == "TestsFailed" and not raised.value.non_retryable
    run(steps.apply_fix(ws, "auth", "tests", {"fix": "refresh the token"}))
    assert run(steps.run_tests(ws, "auth", CONFIG))["passed"] == 2
    quality = run(steps.check_quality(ws, "auth", CONFIG))
    publication = run(steps.publish_package(ws, "auth"))
    report = run(steps.write_report(ws, "auth", {phase: {} for phase in steps.PHASES[:-1]} | {"publish": publication},
                                    "b1"))  # fmt: skip
    assert quality["score"] == 100
    assert (report["success"], report["failed_phase"], report["error"], report["fix_attempts"]) == (True, None, None, 1)
    assert json.loads((Path(ws) / "reports" / "b1" / "auth.json").read_text())["version"] == "0.9.0"


def test_the_report_of_a_failed_build_names_the_phase_and_the_last_error(ws):
    run(steps.build_package(ws, "auth", CONFIG))
    for _ in range(2):
        with pytest.raises(ApplicationError):
            run(steps.run_tests(ws, "auth", CONFIG))
    report = run(steps.write_report(ws, "auth", {"dependencies": {}, "scaffold": {}, "build": {}}))
    assert report["success"] is False
    assert report["failed_phase"] == "tests"
    assert report["error"] == "1 of 2 tests failed: refreshes an expired token"
    with pytest.raises(ApplicationError, match="auth failed in tests") as raised:
        run(steps.fail_build(report))
    assert raised.value.type == "PackageBuildFailed" and raised.value.details[0]["failed_phase"] == "tests"


def test_a_missing_package_is_built_from_the_scaffold(ws):
    scaffold = {"files": ["package.json", "src/index.js", "tests/cases.json"], "notes": "new"}
    built = run(steps.build_package(ws, "metrics", CONFIG, scaffold))
    assert built["version"] == "0.1.0"
    assert run(steps.run_tests(ws, "metrics", CONFIG))["passed"] == 1
    with pytest.raises(ApplicationError, match="no code and no scaffold"):
        run(steps.build_package(ws, "unknown-package", CONFIG))


def test_a_version_is_published_once(ws):
    publish(ws, "core-utils")
    assert (Path(ws) / "registry" / "core-utils-1.2.0.json").is_file()
    with pytest.raises(ApplicationError, match="already in the registry") as raised:
        run(steps.publish_package(ws, "core-utils"))
    assert raised.value.type == "AlreadyPublished"


def test_apply_fix_rejects_unknown_steps(ws):
    with pytest.raises(ApplicationError, match="step must be one of build, tests, quality"):
        run(steps.apply_fix(ws, "auth", "deploy", None))


def test_build_report_totals_failures_and_slowest(ws):
    records = run(planning.discover_packages(ws, ["config-loader", "auth"]))
    plan = run(planning.verify_plans(ws, records, layers_of(records)))
    for name in ("core-utils", "config-loader"):
        publish(ws, name)
        run(planning.record_build_result(ws, "b2", name, "completed"))
        run(steps.write_report(ws, name, {phase: {} for phase in steps.PHASES}, "b2"))
    reports = run(planning.load_package_reports(ws, "b2", plan["to_build"]))
    results = {"auth": {"status": "skipped", "error": None, "reason": "dependency http-client failed"},
               "http-client": {"status": "failed", "error": "boom", "reason": None}}  # fmt: skip
    integration = run(planning.run_integration_tests(ws, plan["to_build"]))
    report = run(planning.generate_build_report(ws, "b2", plan, reports, results, integration))
    assert integration == {"passed": True, "checked": ["core-utils", "config-loader", "http-client"], "problems": []}
    assert report["totals"] == {"packages": 5, "built": 2, "failed": 1, "not_built": 1, "already_published": 1}
    assert {f["package"] for f in report["failures"]} == {"auth", "http-client"}
    assert {s["package"] for s in report["slowest"]} == {"core-utils", "config-loader"}
    assert report["slowest"][0]["seconds"] >= report["slowest"][1]["seconds"]
    assert report["success"] is False
    events = (Path(ws) / "reports" / "b2" / "events.jsonl").read_text().splitlines()
    assert len(events) == 2
    assert "# Build b2: FAILED" in (Path(ws) / "reports" / "b2" / "build-report.md").read_text()


def test_activities_leave_the_checked_in_sample_untouched(ws):
    before = sample_digest()
    publish(ws, "core-utils")
    run(steps.apply_fix(ws, "auth", "tests", None))
    assert sample_digest() == before


# -- the workspace boundary ------------------------------------------------------


def refused(coroutine, project: str = PROJECT_SLUG) -> ApplicationError:
    with pytest.raises(ApplicationError) as raised:
        run(coroutine, project)
    assert raised.value.non_retryable, raised.value
    return raised.value


@pytest.fixture
def secret(tmp_path):
    """A file next to the workspace, outside it: a build plan and a registry entry, to read or overwrite."""
    path = tmp_path / "secret.json"
    path.write_text(json.dumps({"packages": ["core-utils"], "to_version": "9.9.9", "version": "9.9.9"}))
    return path


def test_plan_paths_outside_the_workspace_are_refused(ws, secret):
    for plan_path in (str(secret), "../secret.json", "plans/../../secret.json"):
        error = refused(planning.discover_packages(ws, [], plan_path))
        assert error.type == "PathOutsideWorkspace" and f"outside {Path(ws)}" in error.message
        assert refused(preflight.check_upgrade_plan(ws, "auth", plan_path)).type == "PathOutsideWorkspace"
        record = {"name": "auth", "dependencies": [], "plan_path": plan_path}
        assert refused(planning.verify_plans(ws, [record], [["auth"]])).type == "PathOutsideWorkspace"


def test_names_and_ids_cannot_lead_out_of_the_workspace(ws, tmp_path):
    outside = tmp_path / "escaped"
    for name in ("../../escaped", "..", "a/b", "..\\x", ""):
        assert refused(preflight.mark_published(ws, name, "1.0.0")).type == "BadPackageInput"
        assert refused(preflight.check_published(ws, name)).type == "BadPackageInput"
    package_path = refused(preflight.check_package_exists(ws, "auth", "../../escaped"))
    assert package_path.type == "PathOutsideWorkspace"
    assert refused(planning.record_build_result(ws, "../../../escaped", "auth", "completed")).type == (
        "PathOutsideWorkspace"
    )
    records = [{"name": "../../../escaped"}]
    assert refused(planning.load_package_reports(ws, "b1", records)).type == "PathOutsideWorkspace"
    assert refused(steps.write_report(ws, "auth", {}, "../../../escaped")).type == "PathOutsideWorkspace"
    scaffold = {"files": ["../../../../escaped/x.js"]}
    assert refused(steps.build_package(ws, "metrics", CONFIG, scaffold)).type == "PathOutsideWorkspace"
    assert not outside.exists()


def test_symlinks_out_of_the_workspace_are_refused(ws, tmp_path, secret):
    root = Path(ws)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(root / "packages" / "auth", elsewhere)
    (root / "packages" / "evil").symlink_to(elsewhere)
    (root / "registry" / "leak-1.0.0.json").symlink_to(secret)
    (root / "plans" / "core-utils.json").symlink_to(secret)
    (root / "reports").mkdir()
    (root / "reports" / "b3").symlink_to(tmp_path)
    (root / "packages" / "auth" / "dist").symlink_to(elsewhere)

    assert refused(preflight.check_package_exists(ws, "evil")).type == "PathOutsideWorkspace"
    assert refused(steps.build_package(ws, "evil", CONFIG)).type == "PathOutsideWorkspace"
    assert refused(preflight.check_published(ws, "leak")).type == "PathOutsideWorkspace"
    assert refused(preflight.check_upgrade_plan(ws, "core-utils")).type == "PathOutsideWorkspace"
    assert refused(planning.record_build_result(ws, "b3", "auth", "completed")).type == "PathOutsideWorkspace"
    assert refused(preflight.audit_state(ws, "auth")).type == "PathOutsideWorkspace"
    assert sorted(path.name for path in elsewhere.iterdir()) == ["package.json", "src", "tests"]
    assert not (tmp_path / "events.jsonl").exists()


def test_a_workspace_root_outside_the_projects_directory_is_refused(settings, tmp_path):
    base = tmp_path / "base"
    settings.WORKSPACE_BASE_DIR = str(base)
    own = base / PROJECT_SLUG
    own.mkdir(parents=True)
    (own / "sneaky").symlink_to(tmp_path / "elsewhere")
    roots = (str(tmp_path / "elsewhere"), "/etc", "../elsewhere", str(base), str(own), ".", "sneaky", 42, "", "a\0b")
    for root in roots:
        error = refused(planning.discover_packages(root))
        assert error.type == "PathOutsideWorkspace", (root, error)
    message = refused(planning.discover_packages("/etc")).message
    assert (
        f"is outside project {PROJECT_SLUG}'s workspace directory {own} (WORKSPACE_BASE_DIR/{PROJECT_SLUG})" in message
    )
    assert not (tmp_path / "elsewhere").exists() and not (base / "elsewhere").exists()


def test_a_relative_workspace_root_is_relative_to_the_projects_directory(settings, tmp_path):
    settings.WORKSPACE_BASE_DIR = str(tmp_path / "base")
    own = tmp_path / "base" / PROJECT_SLUG
    records = run(planning.discover_packages("nightly/workspace", ["logger"]))
    assert [r["name"] for r in records] == ["logger"]
    assert (own / "nightly" / "workspace" / "packages" / "logger" / "package.json").is_file()
    run(preflight.mark_published(str(own / "nightly" / "workspace"), "logger", "1.0.0"))
    assert (own / "nightly" / "workspace" / "status" / "logger.json").is_file()


# -- one project's workspaces are out of another's reach --------------------------------

OTHER = "intruder"


def tree_digest(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes() for path in directory.rglob("*") if path.is_file()}


def test_a_project_cannot_read_or_write_another_projects_workspace(settings, tmp_path):
    settings.WORKSPACE_BASE_DIR = str(tmp_path / "base")
    victim = tmp_path / "base" / PROJECT_SLUG / "workspace"
    run(planning.discover_packages("workspace"))  # the seeded project prepares its own workspace
    run(preflight.check_upgrade_plan("workspace", "http-client"))
    before = tree_digest(victim)

    # The last root is what package-builder's Choose Workspace step makes of a hostile build_id ('builds/' + id).
    roots = (str(victim), f"../{PROJECT_SLUG}/workspace", str(tmp_path / "base" / PROJECT_SLUG))
    for root in (*roots, f"builds/../../{PROJECT_SLUG}/workspace"):
        reads = (
            planning.discover_packages(root),
            preflight.check_published(root, "logger"),
            preflight.check_upgrade_plan(root, "http-client"),
            planning.load_package_reports(root, "b1", [{"name": "auth"}]),
        )
        writes = (
            preflight.mark_published(root, "logger", "6.6.6"),
            steps.build_package(root, "core-utils", CONFIG),
            steps.publish_package(root, "core-utils"),
            steps.apply_fix(root, "auth", "tests", {"fix": "planted"}),
            planning.record_build_result(root, "b1", "auth", "completed"),
        )
        for coroutine in reads + writes:
            error = refused(coroutine, project=OTHER)
            assert error.type == "PathOutsideWorkspace", (root, error)
            assert f"outside project {OTHER}'s workspace directory {tmp_path / 'base' / OTHER}" in error.message

    assert tree_digest(victim) == before
    assert run(preflight.check_published("workspace", "logger"))["latest"] == "1.0.0"  # its owner still works there


def test_each_project_works_in_its_own_directory_under_the_same_relative_root(settings, tmp_path):
    settings.WORKSPACE_BASE_DIR = str(tmp_path / "base")
    run(preflight.mark_published("workspace", "logger", "1.0.0"))
    run(preflight.mark_published("workspace", "logger", "2.0.0"), project=OTHER)
    status = "workspace/status/logger.json"
    assert json.loads((tmp_path / "base" / PROJECT_SLUG / status).read_text())["version"] == "1.0.0"
    assert json.loads((tmp_path / "base" / OTHER / status).read_text())["version"] == "2.0.0"


def test_without_a_projects_task_queue_there_is_no_workspace(ws):
    with pytest.raises(ApplicationError, match="this is no activity") as raised:  # a plain call
        asyncio.run(preflight.check_published(ws, "logger"))
    assert raised.value.type == "PathOutsideWorkspace" and raised.value.non_retryable

    async def on_a_queue_of_no_project():
        return await preflight.check_published(ws, "logger")

    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, task_queue="pm-build-queue")
    with pytest.raises(ApplicationError, match="task queue 'pm-build-queue' is no project's") as raised:
        asyncio.run(environment.run(on_a_queue_of_no_project))
    assert raised.value.type == "PathOutsideWorkspace"


def test_production_loads_the_example_activities_only_when_asked(settings, monkeypatch):
    assert "examples.package_management.activities" in settings.WORKFLOW_ACTIVITY_MODULES  # the development default
    assert production_settings(monkeypatch)["WORKFLOW_ACTIVITY_MODULES"] == ["compiler.activities.builtins"]
    asked = "compiler.activities.builtins,examples.package_management.activities"
    assert production_settings(monkeypatch, WORKFLOW_ACTIVITY_MODULES=asked)["WORKFLOW_ACTIVITY_MODULES"] == [
        "compiler.activities.builtins",
        "examples.package_management.activities",
    ]
