"""The sample workspace and the files the example activities read and write.

The checked-in sample (``examples/package_management/workspace/``) is never
written to: activities work on a copy at the workflow input's
``workspace_root`` (a directory under the calling project's
``WORKSPACE_BASE_DIR/<project slug>``; relative roots are relative to it),
made on first use by ``prepare_workspace``. Layout of a workspace:

- ``packages/<name>/package.json``: name, version, category, dependencies,
  optional ``simulate`` ({"build" | "tests" | "quality": "fail_until_fixed" |
  "always_fail"}) and ``size`` (how long its steps take, in delay units);
  ``src/`` is its tiny source, ``tests/cases.json`` its tests.
- ``packages/<name>/.build/steps.jsonl``: one line per step attempt, tagged
  with the workflow run id, so a report reads only its own run.
- ``packages/<name>/.fixes/<step>.json``: written by Apply Fix; a step that
  fails "until fixed" passes once its fix is there.
- ``registry/<name>-<version>.json``: the local directory registry (npm's
  stand-in); ``plans/<name>.json``: upgrade plans; ``build-plans/*.json``:
  lists of packages to build; ``status/<name>.json``: Mark Published;
  ``reports/<build_id>/``: package reports and the build report;
  ``queue.json``: the seed of the MCP package queue.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from compiler.activities import files

SAMPLE_DIR = Path(__file__).resolve().parent / "workspace"


def prepare_workspace(dest: str | Path, *, replace: bool = False) -> Path:
    """Copy the sample workspace to ``dest`` (kept as is when it exists, unless ``replace``)."""
    dest = Path(dest).resolve()
    if _inside_sample(dest):
        raise ValueError(f"{dest} is inside the checked-in sample; choose a working directory elsewhere")
    if dest.exists() and replace:
        shutil.rmtree(dest)
    if not dest.exists():
        shutil.copytree(SAMPLE_DIR, dest)
    return dest


def _inside_sample(path: Path) -> bool:
    return path == SAMPLE_DIR or SAMPLE_DIR in path.parents


def bad_input(message: str, type_: str = "BadPackageInput") -> ApplicationError:
    """A deterministic problem: retrying cannot help, so it is non-retryable."""
    return ApplicationError(message, type=type_, non_retryable=True)


def run_id() -> str:
    """The workflow run this activity belongs to ("local" when called outside a worker, as in tests)."""
    return activity.info().workflow_run_id if activity.in_activity() else "local"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except ValueError as error:
        raise bad_input(f"{path.name} is not valid JSON: {error}", "BadWorkspaceFile") from error


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def package_name(name: object) -> str:
    """``name`` when it can be a file name of its own (no separator, not hidden, not ``..``)."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise bad_input(f"{name!r} is not a package name")
    return name


class Workspace:
    """A working copy of the sample; every path an activity touches comes from here.

    The root must be under the calling project's workspace directory
    (``WORKSPACE_BASE_DIR/<project slug>``) and every path is resolved inside
    it (``compiler.activities.files``): other projects' workspaces, plan
    paths, package names and paths, build ids and symlinks in the copy cannot
    reach other files.
    """

    def __init__(self, root: str | Path) -> None:
        path = files.workspace_root(str(root) if isinstance(root, Path) else root)
        if _inside_sample(path):
            raise bad_input(
                f"workspace_root {path} is the checked-in sample; give a working directory of the project's own"
            )
        self.root = prepare_workspace(path)

    def path(self, *parts: str) -> Path:
        """A file or directory of the workspace, by its path relative to the root."""
        return files.inside(self.root, *parts)

    # -- packages -------------------------------------------------------------

    def package_file(self, name: str, *parts: str, path: str = "") -> Path:
        """A file of package ``name`` (its directory is ``path``, default packages/<name>)."""
        return self.path(path or f"packages/{package_name(name)}", *parts)

    def has_manifest(self, name: str, path: str = "") -> bool:
        return self.package_file(name, "package.json", path=path).is_file()

    def manifest(self, name: str) -> dict[str, Any]:
        path = self.package_file(name, "package.json")
        if not path.is_file():
            raise bad_input(f"package {name!r} has no package.json in {self.root / 'packages'}", "PackageNotFound")
        return read_json(path)

    def write_manifest(self, name: str, manifest: dict[str, Any]) -> None:
        write_json(self.package_file(name, "package.json"), manifest)

    def package_names(self) -> list[str]:
        return sorted(path.parent.name for path in self.path("packages").glob("*/package.json"))

    def plan_path(self, name: str) -> str:
        """The package's upgrade plan, relative to the workspace, or "" when it has none."""
        relative = f"plans/{name}.json"
        return relative if self.path(relative).is_file() else ""

    def status_file(self, name: str) -> Path:
        return self.path("status", f"{package_name(name)}.json")

    # -- registry ---------------------------------------------------------------

    def registry(self) -> dict[str, list[str]]:
        """{package name: its published versions, oldest first}, from one listing of the registry.

        For activities that ask about every package: `published_versions` per
        package lists the whole registry each time, quadratic over thousands.
        """
        published: dict[str, list[str]] = {}
        for path in sorted(self.path("registry").glob("*.json")):
            record = read_json(self.path("registry", path.name))
            if record.get("name") and record.get("version"):
                published.setdefault(record["name"], []).append(record["version"])
        return {name: sorted(versions, key=version_key) for name, versions in published.items()}

    def published_versions(self, name: str) -> list[str]:
        pattern = f"{package_name(name)}-*.json"
        entries = (self.path("registry", path.name) for path in self.path("registry").glob(pattern))
        versions = [read_json(path)["version"] for path in entries]
        return sorted((v for v in versions if v), key=version_key)

    def publish(self, name: str, version: str, record: dict[str, Any]) -> Path:
        path = self.path("registry", f"{package_name(name)}-{version}.json")
        if path.exists():
            raise bad_input(f"{name} {version} is already in the registry; bump the version", "AlreadyPublished")
        write_json(path, record)
        return path

    # -- step log and fixes -------------------------------------------------------

    def log_step(self, name: str, step: str, ok: bool, error: str | None = None, **details: Any) -> None:
        entry = {"run": run_id(), "step": step, "ok": ok, "error": error, "at": time.time(), **details}
        log = self.package_file(name, ".build", "steps.jsonl")
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")

    def steps(self, name: str, run: str) -> list[dict[str, Any]]:
        log = self.package_file(name, ".build", "steps.jsonl")
        if not log.is_file():
            return []
        entries = (json.loads(line) for line in log.read_text().splitlines() if line.strip())
        return [entry for entry in entries if entry["run"] == run]

    def fix(self, name: str, step: str) -> dict[str, Any] | None:
        path = self.package_file(name, ".fixes", f"{step}.json")
        return read_json(path) if path.is_file() else None

    def record_fix(self, name: str, step: str, fix: Any) -> dict[str, Any]:
        previous = self.fix(name, step) or {"attempts": 0}
        record = {"step": step, "attempts": previous["attempts"] + 1, "fix": fix, "run": run_id()}
        write_json(self.package_file(name, ".fixes", f"{step}.json"), record)
        return record

    def report_file(self, build_id: str, file_name: str) -> Path:
        """A file of the build's report directory (reports/<build_id>/, "adhoc" without a build id)."""
        return self.path("reports", build_id or "adhoc", file_name)
