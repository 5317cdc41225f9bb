"""The files an activity may touch: inside its workspace, which lies under ``WORKSPACE_BASE_DIR``.

Workspace roots and the paths inside them come from workflow input, which
any editor of a project writes; without a check, ``/etc``, ``../`` or a
symlink reach every file the worker can. So a root is resolved (relative
roots are taken relative to the base directory) and must lie strictly under
the operator's ``WORKSPACE_BASE_DIR``, and every path is resolved, symlinks
included, and must stay inside its root. Refusals are non-retryable: the
same input would be refused again.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.exceptions import ApplicationError

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


def workspace_root(root: object) -> Path:
    """The resolved workspace root; relative roots are relative to ``WORKSPACE_BASE_DIR``."""
    base = base_dir()
    path = _resolved(base, (root,), "workspace_root")
    if path == base or not path.is_relative_to(base):
        raise refused(
            f"workspace_root {root!r} resolves to {path}, which is not inside {SETTING} ({base}); "
            f"give a directory under it, e.g. {base / 'my-workspace'}"
        )
    return path


def inside(root: Path, *parts: str) -> Path:
    """``root / parts`` resolved (symlinks followed); refused unless it stays inside ``root``."""
    path = _resolved(root, parts, "path")
    if path != root and not path.is_relative_to(root):
        raise refused(f"path {'/'.join(parts)!r} resolves to {path}, outside {root}")
    return path
