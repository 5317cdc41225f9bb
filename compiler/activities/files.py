"""The files an activity may touch: inside a workspace of its own project.

Workspace roots and the paths inside them come from workflow input, which
any editor of a project writes; without a check, ``/etc``, ``../``, another
project's workspace or a symlink reach every file the worker can. So each
project has a directory of its own, ``WORKSPACE_BASE_DIR/<project slug>``,
and the project is the one whose task queue the activity runs on
(compiler/activities/caller.py), never something the input says. A root is
resolved (relative roots are taken relative to the project directory) and
must lie strictly under it, and every path is resolved, symlinks included,
and must stay inside its root. Outside an activity there is no calling
project, so there is no workspace either: plain calls are refused (tests
run activities in ``temporalio.testing.ActivityEnvironment`` on a project's
task queue). Refusals are non-retryable: the same input would be refused
again.
"""

from __future__ import annotations

from pathlib import Path

from temporalio import activity
from temporalio.exceptions import ApplicationError

from compiler.activities.caller import calling_project
from compiler.activities.config import setting

SETTING = "WORKSPACE_BASE_DIR"


def refused(message: str) -> ApplicationError:
    return ApplicationError(message, type="PathOutsideWorkspace", non_retryable=True)


def _resolved(base: Path, parts: tuple[object, ...], what: str) -> Path:
    """``base`` joined with ``parts`` and resolved; a part that is not a usable path is refused."""
    if not all(isinstance(part, str) and part and "\0" not in part for part in parts):
        raise refused(f"{what} {'/'.join(map(repr, parts))} is not a path (non-empty text without NUL)")
    try:
        return base.joinpath(*parts).resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop, a name too long
        raise refused(f"{what} {'/'.join(parts)!r} cannot be resolved: {error}") from None


def base_dir() -> Path:
    configured = setting(SETTING)
    if not configured:
        raise refused(f"{SETTING} is not configured: set it to the directory that holds the workspaces")
    return Path(configured).resolve()


def project_dir() -> tuple[str, Path]:
    """The calling activity's project slug and its directory, ``WORKSPACE_BASE_DIR/<slug>`` resolved."""
    if not activity.in_activity():
        raise refused(
            "workspaces belong to the project whose task queue the activity runs on, and this is no activity: "
            "run it on a worker (or in temporalio.testing.ActivityEnvironment) on the project's task queue"
        )
    slug = calling_project()
    if not slug:
        raise refused(
            f"task queue {activity.info().task_queue!r} is no project's (<uuid8>-<slug>-queue), "
            "so there is no project workspace directory to work in"
        )
    return slug, (base_dir() / slug).resolve()


def workspace_root(root: object) -> Path:
    """The resolved workspace root, inside the calling project's directory (relative roots are relative to it)."""
    slug, directory = project_dir()
    path = _resolved(directory, (root,), "workspace_root")
    if path == directory or not path.is_relative_to(directory):
        raise refused(
            f"workspace_root {root!r} resolves to {path}, which is outside project {slug}'s workspace directory "
            f"{directory} ({SETTING}/{slug}); give a directory under it, e.g. {directory / 'workspace'}"
        )
    return path


def inside(root: Path, *parts: str) -> Path:
    """``root / parts`` resolved (symlinks followed); refused unless it stays inside ``root``."""
    path = _resolved(root, parts, "path")
    if path != root and not path.is_relative_to(root):
        raise refused(f"path {'/'.join(parts)!r} resolves to {path}, outside {root}")
    return path
