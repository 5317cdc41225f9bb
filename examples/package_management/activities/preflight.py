"""Pre-flight activities of `package-build`: what exists, what is published, what to upgrade."""

from __future__ import annotations

import shutil

from compiler.activities.registry import register_activity
from examples.package_management.sample import Workspace, bad_input, read_json, version_key, write_json


@register_activity(
    name="check_package_exists",
    description="Whether the package's code (its package.json) is in the workspace.",
)
async def check_package_exists(workspace_root: str, package_name: str, package_path: str = "") -> dict:
    ws = Workspace(workspace_root)
    manifest = ws.package_file(package_name, "package.json", path=package_path)
    version = read_json(manifest)["version"] if manifest.is_file() else None
    return {"code_exists": manifest.is_file(), "path": str(manifest.parent), "version": version}


@register_activity(
    name="check_published",
    description="Whether any version of the package is in the local registry, and the latest one.",
)
async def check_published(workspace_root: str, package_name: str) -> dict:
    versions = Workspace(workspace_root).published_versions(package_name)
    return {"published": bool(versions), "versions": versions, "latest": versions[-1] if versions else None}


@register_activity(
    name="check_upgrade_plan",
    description="Look for the package's upgrade plan (plan_path, default plans/<name>.json) not yet applied.",
)
async def check_upgrade_plan(workspace_root: str, package_name: str, plan_path: str = "") -> dict:
    """A plan whose target version is already published counts as no plan, so re-runs finish early."""
    ws = Workspace(workspace_root)
    relative = plan_path or ws.plan_path(package_name)
    if not relative or not ws.path(relative).is_file():
        return {"has_plan": False, "plan": None, "path": None}
    plan = read_json(ws.path(relative))
    if plan.get("to_version") in ws.published_versions(package_name):
        return {"has_plan": False, "plan": plan, "path": relative, "reason": "already applied"}
    return {"has_plan": True, "plan": plan, "path": relative}


@register_activity(
    name="audit_upgrade",
    description="Check an upgrade plan against the registry and apply its version bump to the package.",
)
async def audit_upgrade(workspace_root: str, package_name: str, plan: dict) -> dict:
    """Fails (non-retryable) when the plan does not start from the published version or does not go up."""
    ws = Workspace(workspace_root)
    manifest = ws.manifest(package_name)
    published = ws.published_versions(package_name)
    latest = published[-1] if published else None
    source, target = plan.get("from_version"), plan.get("to_version")
    if not target or source != latest or (latest and version_key(target) <= version_key(latest)):
        raise bad_input(
            f"upgrade plan of {package_name} goes {source} -> {target}, but the registry's latest is {latest}",
            "InvalidUpgradePlan",
        )
    manifest["version"] = target
    ws.write_manifest(package_name, manifest)
    ws.log_step(package_name, "audit_upgrade", True, from_version=source, to_version=target)
    return {"from_version": source, "to_version": target, "changes": plan.get("changes", [])}


@register_activity(
    name="mark_published",
    description="Record that the package is published at a version (status/<name>.json).",
)
async def mark_published(workspace_root: str, package_name: str, version: str) -> dict:
    ws = Workspace(workspace_root)
    status = {"package": package_name, "status": "published", "version": version}
    write_json(ws.status_file(package_name), status)
    return status


@register_activity(
    name="audit_state",
    description="Clean what an earlier, unfinished build of an unpublished package left behind (dist/).",
)
async def audit_state(workspace_root: str, package_name: str) -> dict:
    ws = Workspace(workspace_root)
    dist = ws.package_file(package_name, "dist")
    leftovers = sorted(path.name for path in dist.iterdir()) if dist.is_dir() else []
    shutil.rmtree(dist, ignore_errors=True)
    return {"clean": not leftovers, "removed": leftovers}


@register_activity(
    name="verify_dependencies",
    description="Every dependency (from the input and the package.json) must be published in the registry.",
)
async def verify_dependencies(workspace_root: str, package_name: str, dependencies: list | None = None) -> dict:
    ws = Workspace(workspace_root)
    declared = ws.manifest(package_name).get("dependencies", []) if ws.has_manifest(package_name) else []
    wanted = sorted(set(dependencies or []) | set(declared))
    versions = {dep: ws.published_versions(dep) for dep in wanted}
    missing = [dep for dep, found in versions.items() if not found]
    if missing:
        message = f"{package_name} depends on {', '.join(missing)}, not published yet"
        ws.log_step(package_name, "dependencies", False, message)
        raise bad_input(message, "DependencyNotPublished")
    ws.log_step(package_name, "dependencies", True)
    return {"dependencies": {dep: found[-1] for dep, found in versions.items()}}
