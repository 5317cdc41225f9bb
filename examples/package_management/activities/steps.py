"""Build steps of `package-build`: simulated build, tests and quality, fixes, publish, report.

Steps are simulated but honest about their inputs: they read the package's
files, sleep ``config.build_delay_seconds`` times the package's ``size`` and
fail when the manifest's ``simulate`` says so ("fail_until_fixed" until
Apply Fix has recorded a fix for that step, or "always_fail"). Each attempt
is logged with the workflow run id; Write Report reads that log to say which
phase failed, why, and how many fixes it took.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

from temporalio.exceptions import ApplicationError

from compiler.activities import files
from compiler.activities.registry import register_activity
from examples.package_management.sample import Workspace, bad_input, read_json, run_id, write_json

PHASES = ("dependencies", "scaffold", "build", "tests", "quality", "publish")
FAILURES = {
    "build": "compile error in src/index.js: unexpected token",
    "tests": "{failed} of {total} tests failed: {names}",
    "quality": "lint: exported functions lack documentation",
}


async def _simulate(ws: Workspace, name: str, step: str, config: dict | None) -> tuple[dict, float]:
    """Run one simulated step: wait, then fail as the manifest says or log success. Returns (manifest, seconds)."""
    manifest = ws.manifest(name)
    started = time.monotonic()
    delay = float((config or {}).get("build_delay_seconds", 0)) * float(manifest.get("size", 1))
    await asyncio.sleep(max(delay, 0))
    mode = manifest.get("simulate", {}).get(step)
    seconds = round(time.monotonic() - started, 3)
    if mode == "always_fail" or (mode == "fail_until_fixed" and ws.fix(name, step) is None):
        message = _failure_message(ws, name, step)
        ws.log_step(name, step, False, message, seconds=seconds)
        # Retryable on purpose: the retry block around the step retries it after the fix agent ran.
        raise ApplicationError(f"{name}: {message}", type=f"{step.capitalize()}Failed")
    ws.log_step(name, step, True, seconds=seconds)
    return manifest, seconds


def _failure_message(ws: Workspace, name: str, step: str) -> str:
    if step != "tests":
        return FAILURES[step]
    cases = read_json(ws.package_file(name, "tests", "cases.json"))["cases"]
    failing = [case["name"] for case in cases if case.get("note")] or [cases[-1]["name"]]
    return FAILURES["tests"].format(failed=len(failing), total=len(cases), names=", ".join(failing))


@register_activity(
    name="build_package",
    description="Build the package into dist/ (simulated); a missing package is first created from the "
    "scaffold agent's output.",
)
async def build_package(
    workspace_root: str, package_name: str, config: dict | None = None, scaffold: dict | None = None
) -> dict:
    ws = Workspace(workspace_root)
    if not ws.has_manifest(package_name):
        if not scaffold:
            raise bad_input(f"package {package_name} has no code and no scaffold to create it from", "PackageNotFound")
        _create_from_scaffold(ws, package_name, scaffold)
    manifest, seconds = await _simulate(ws, package_name, "build", config)
    sources = sorted(path.name for path in ws.package_file(package_name, "src").glob("*"))
    source = "".join(ws.package_file(package_name, "src", name).read_text() for name in sources)
    artifact = {
        "name": package_name,
        "version": manifest["version"],
        "sha256": hashlib.sha256(source.encode()).hexdigest(),
    }
    path = ws.package_file(package_name, "dist", f"{package_name}-{manifest['version']}.json")
    write_json(path, artifact)
    return {"artifact": str(path), "version": manifest["version"], "seconds": seconds}


def _create_from_scaffold(ws: Workspace, name: str, scaffold: dict) -> None:
    """Write the scaffold's files: placeholders for sources, a manifest and a smoke test that really parse."""
    directory = ws.package_file(name)
    for relative in scaffold.get("files", []):
        target = files.inside(directory, relative)
        if target == directory:
            raise bad_input(f"scaffold file {relative!r} is the package directory itself")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"// {name}: {relative} (scaffolded)\n")
    manifest = {"name": name, "version": "0.1.0", "category": "scaffolded", "dependencies": [],
                "description": scaffold.get("notes", ""), "license": "MIT"}  # fmt: skip
    ws.write_manifest(name, manifest)
    write_json(directory / "tests" / "cases.json", {"cases": [{"name": f"{name} loads", "expect": name}]})


@register_activity(name="run_tests", description="Run the package's tests (simulated from tests/cases.json).")
async def run_tests(workspace_root: str, package_name: str, config: dict | None = None) -> dict:
    ws = Workspace(workspace_root)
    _, seconds = await _simulate(ws, package_name, "tests", config)
    cases = read_json(ws.package_file(package_name, "tests", "cases.json"))["cases"]
    return {"passed": len(cases), "failed": 0, "seconds": seconds}


@register_activity(name="check_quality", description="Quality gate: description, license and lint (simulated).")
async def check_quality(workspace_root: str, package_name: str, config: dict | None = None) -> dict:
    ws = Workspace(workspace_root)
    manifest, seconds = await _simulate(ws, package_name, "quality", config)
    issues = [f"package.json has no {key}" for key in ("description", "license") if not manifest.get(key)]
    return {"score": 100 - 10 * len(issues), "issues": issues, "seconds": seconds}


@register_activity(
    name="apply_fix",
    description="Apply a fix agent's answer to a failing step; the step's next attempt sees it.",
)
async def apply_fix(workspace_root: str, package_name: str, step: str, fix: Any = None) -> dict:
    if step not in FAILURES:
        raise bad_input(f"step must be one of {', '.join(FAILURES)}, not {step!r}")
    ws = Workspace(workspace_root)
    record = ws.record_fix(package_name, step, fix)
    ws.log_step(package_name, "fix", True, fixed_step=step)
    return record


@register_activity(name="publish_package", description="Publish the built version to the local registry.")
async def publish_package(workspace_root: str, package_name: str) -> dict:
    ws = Workspace(workspace_root)
    manifest = ws.manifest(package_name)
    version = manifest["version"]
    if not ws.package_file(package_name, "dist", f"{package_name}-{version}.json").is_file():
        ws.log_step(package_name, "publish", False, f"{package_name} {version} was not built")
        raise bad_input(f"{package_name} {version} was not built; nothing to publish", "NotBuilt")
    try:
        path = ws.publish(package_name, version, {"name": package_name, "version": version,
                                                   "dependencies": manifest.get("dependencies", []),
                                                   "published_by": run_id()})  # fmt: skip
    except ApplicationError as error:
        ws.log_step(package_name, "publish", False, error.message)
        raise
    write_json(ws.status_file(package_name), {"package": package_name, "status": "published", "version": version})
    ws.log_step(package_name, "publish", True)
    return {"package": package_name, "version": version, "registry_entry": str(path)}


@register_activity(
    name="write_report",
    description="Write the package's build report, on success and on failure: failed phase, error, fix attempts.",
)
async def write_report(workspace_root: str, package_name: str, steps: dict, build_id: str = "") -> dict:
    """``steps`` maps each phase to its result (None when it did not finish); the first None failed."""
    ws = Workspace(workspace_root)
    log = ws.steps(package_name, run_id())
    success = steps.get("publish") is not None
    failed_phase = None if success else next((phase for phase in PHASES if steps.get(phase) is None), "publish")
    errors = [entry["error"] for entry in log if entry["step"] == failed_phase and not entry["ok"]]
    error = None if success else (errors[-1] if errors else f"the {failed_phase} step failed")
    report = {
        "success": success,
        "package_name": package_name,
        "failed_phase": failed_phase,
        "error": error,
        "fix_attempts": sum(1 for entry in log if entry["step"] == "fix"),
        "seconds": round(sum(entry.get("seconds", 0) for entry in log), 3),
        "version": (steps.get("publish") or {}).get("version"),
    }
    path = ws.report_file(build_id, f"{package_name}.json")
    write_json(path, report)
    return {**report, "report": str(path)}


@register_activity(
    name="fail_build",
    description="Fail the workflow with the report's failed phase and error (the report is in the details).",
)
async def fail_build(report: dict) -> None:
    raise ApplicationError(
        f"{report['package_name']} failed in {report['failed_phase']}: {report['error']}",
        report,
        type="PackageBuildFailed",
        non_retryable=True,
    )
