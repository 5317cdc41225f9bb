"""Activities of `package-builder`: discover, plan, record, verify and report a multi-package build."""

from __future__ import annotations

import json
from typing import Any

from compiler.activities.registry import register_activity
from examples.package_management.sample import Workspace, bad_input, read_json, version_key, write_json


@register_activity(
    name="discover_packages",
    description="List the packages to build (names, records with dependencies, a build plan, or all) with "
    "their dependencies; prepares the workspace copy on first use.",
)
async def discover_packages(workspace_root: str, packages: list | None = None, plan_path: str = "") -> list[dict]:
    """Records {name, version, category, dependencies, path, plan_path}, sorted by name.

    Names pull in their dependencies (so the graph is complete); records are
    taken as given, which is how a caller can hand in a dependency cycle.
    """
    ws = Workspace(workspace_root)
    wanted = list(packages or [])
    if plan_path:
        plan_file = ws.path(plan_path)
        if not plan_file.is_file():
            raise bad_input(f"build plan {plan_path!r} does not exist in the workspace {ws.root}")
        wanted += read_json(plan_file).get("packages", [])
    records: dict[str, dict] = {}
    pending = [entry for entry in wanted if isinstance(entry, str)] if wanted else ws.package_names()
    for entry in wanted:
        if isinstance(entry, dict):
            if not isinstance(entry.get("name"), str):
                raise bad_input(f"package record {entry!r} needs a 'name'")
            records[entry["name"]] = _record(ws, entry["name"], entry)
        elif not isinstance(entry, str):
            raise bad_input(f"packages must be names or records, got {entry!r}")
    while pending:
        name = pending.pop()
        if name not in records:
            records[name] = _record(ws, name, ws.manifest(name))
            pending += records[name]["dependencies"]
    return [records[name] for name in sorted(records)]


def _record(ws: Workspace, name: str, source: dict) -> dict:
    manifest = ws.manifest(name) if ws.has_manifest(name) else {}
    return {
        "name": name,
        "version": source.get("version", manifest.get("version", "0.1.0")),
        "category": source.get("category", manifest.get("category", "")),
        "dependencies": list(source.get("dependencies", manifest.get("dependencies", []))),
        "path": source.get("path", f"packages/{name}"),
        "plan_path": source.get("plan_path", ws.plan_path(name)),
    }


@register_activity(
    name="verify_plans",
    description="Skip packages already published (unless they have an upgrade plan), validate upgrade plans, "
    "and list what to build in layer order with the dependencies still to be built.",
)
async def verify_plans(workspace_root: str, packages: list, layers: list) -> dict:
    """{"to_build": [record + pending_dependencies], "skipped": [...], "upgrades": [...]}; a bad plan fails."""
    ws = Workspace(workspace_root)
    by_name = {record["name"]: record for record in packages}
    order = [name for layer in layers for name in layer]
    to_build, skipped, upgrades, problems = [], [], [], []
    registry = ws.registry()
    for name in order:
        record = by_name[name]
        published = registry.get(name, [])
        if record["plan_path"] and not _plan_applied(ws, record["plan_path"], published):
            problem = _plan_problem(ws, record["plan_path"], published)
            if problem:
                problems.append(f"{name}: {problem}")
                continue
            upgrades.append(name)
        elif published:
            skipped.append({"name": name, "version": published[-1], "reason": "already published"})
            continue
        to_build.append(record)
    if problems:
        raise bad_input("invalid upgrade plan(s): " + "; ".join(problems), "InvalidUpgradePlan")
    building = {record["name"] for record in to_build}
    for record in to_build:
        record["pending_dependencies"] = [dep for dep in record["dependencies"] if dep in building]
    return {"to_build": to_build, "skipped": skipped, "upgrades": upgrades}


def _plan_applied(ws: Workspace, plan_path: str, published: list[str]) -> bool:
    plan_file = ws.path(plan_path)
    return plan_file.is_file() and read_json(plan_file).get("to_version") in published


def _plan_problem(ws: Workspace, plan_path: str, published: list[str]) -> str | None:
    plan_file = ws.path(plan_path)
    if not plan_file.is_file():
        return f"plan {plan_path} does not exist"
    plan = read_json(plan_file)
    target, source = plan.get("to_version"), plan.get("from_version")
    if not target:
        return f"plan {plan_path} has no to_version"
    if published and source != published[-1]:
        return f"plan upgrades from {source} but the registry's latest is {published[-1]}"
    if published and version_key(target) <= version_key(published[-1]):
        return f"plan target {target} is not newer than the published {published[-1]}"
    return None


@register_activity(
    name="record_build_result",
    description="Append one finished child (package, status, error) to the build's event log.",
)
async def record_build_result(
    workspace_root: str, build_id: str, package_name: str, status: str, error: str | None = None
) -> dict:
    ws = Workspace(workspace_root)
    event = {"package": package_name, "status": status, "error": error}
    log = ws.report_file(build_id, "events.jsonl")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as handle:
        handle.write(json.dumps(event, sort_keys=True) + "\n")
    return event


@register_activity(
    name="run_integration_tests",
    description="Check that every package published at its current version has all its dependencies published.",
)
async def run_integration_tests(workspace_root: str, packages: list) -> dict:
    """{"passed", "checked", "problems"}: reports, never fails, so the build report is always written."""
    ws = Workspace(workspace_root)
    registry = ws.registry()
    checked, problems = [], []
    for record in packages:
        name = record["name"]
        if not ws.has_manifest(name) or ws.manifest(name)["version"] not in registry.get(name, []):
            continue
        checked.append(name)
        missing = [dep for dep in record["dependencies"] if not registry.get(dep)]
        if missing:
            problems.append(f"{name} is published but its dependencies {', '.join(missing)} are not")
    return {"passed": not problems, "checked": checked, "problems": problems}


@register_activity(
    name="load_package_reports",
    description="Read the reports package-build wrote for this build (None for packages that never ran).",
)
async def load_package_reports(workspace_root: str, build_id: str, packages: list) -> dict:
    ws = Workspace(workspace_root)
    reports = {}
    for record in packages:
        path = ws.report_file(build_id, f"{record['name']}.json")
        reports[record["name"]] = read_json(path) if path.is_file() else None
    return reports


@register_activity(
    name="generate_build_report",
    description="Write the build report (totals, failures, slowest packages) as JSON and Markdown.",
)
async def generate_build_report(
    workspace_root: str,
    build_id: str,
    plan: dict,
    reports: dict,
    results: dict | None = None,
    integration: dict | None = None,
) -> dict:
    """``results`` is the spawner's per-package outcome ({status, error, reason}); reports fill in the rest."""
    ws = Workspace(workspace_root)
    outcomes = _outcomes(plan, reports, results or {})
    statuses = [outcome["status"] for outcome in outcomes.values()]
    report: dict[str, Any] = {
        "build_id": build_id,
        "success": all(status == "completed" for status in statuses) and (integration or {}).get("passed", True),
        "totals": {
            "packages": len(outcomes) + len(plan["skipped"]),
            "built": statuses.count("completed"),
            "failed": statuses.count("failed"),
            "not_built": len(statuses) - statuses.count("completed") - statuses.count("failed"),
            "already_published": len(plan["skipped"]),
        },
        # Every package of the run with its outcome, so the report answers "what happened to X?".
        "packages": {
            **{name: outcome["status"] for name, outcome in outcomes.items()},
            **{skip["name"]: "already published" for skip in plan["skipped"]},
        },
        "failures": [
            {"package": name, "failed_phase": o["failed_phase"], "error": o["error"]}
            for name, o in outcomes.items()
            if o["status"] != "completed"
        ],
        "slowest": sorted(
            ({"package": name, "seconds": o["seconds"]} for name, o in outcomes.items() if o["seconds"] is not None),
            key=lambda entry: (-entry["seconds"], entry["package"]),
        )[:3],
        "skipped": plan["skipped"],
        "integration": integration,
    }
    path = ws.report_file(build_id, "build-report.json")
    write_json(path, report)
    ws.report_file(build_id, "build-report.md").write_text(_markdown(report))
    return {**report, "report_path": str(path)}


def _outcomes(plan: dict, reports: dict, results: dict) -> dict[str, dict]:
    outcomes = {}
    for record in plan["to_build"]:
        name = record["name"]
        report, result = reports.get(name), results.get(name) or {}
        if report is not None:
            status = "completed" if report["success"] else "failed"
            error, phase, seconds = report["error"], report["failed_phase"], report["seconds"]
        else:
            status = result.get("status", "not started")
            error, phase, seconds = result.get("error") or result.get("reason"), None, None
        outcomes[name] = {"status": status, "error": error, "failed_phase": phase, "seconds": seconds}
    return outcomes


def _markdown(report: dict) -> str:
    totals = report["totals"]
    lines = [
        f"# Build {report['build_id']}: {'success' if report['success'] else 'FAILED'}",
        "",
        ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in totals.items()),
        "",
        "## Failures",
        *[f"- {f['package']} ({f['failed_phase'] or 'not run'}): {f['error']}" for f in report["failures"]],
        "",
        "## Slowest packages",
        *[f"- {s['package']}: {s['seconds']:.2f} s" for s in report["slowest"]],
    ]
    return "\n".join(lines) + "\n"
