"""A build's sources, by workflow identifier, written to disk and imported as workflow classes.

Temporal's workflow sandbox re-imports a workflow's module by name for every
run, so generated code must live in a real, importable module, not in
`exec`'d text. A build is written as one package,
`<directory>/wfgen_<build id>/<module>.py`, where the build id is the one
content hash of a build (`build_id_for`, which deploy stores too): the same
sources always land in the same package, and a changed source lands in a
new one. Module and class names follow from the identifier (the functions
the emitter uses), so what a worker imports is exactly what was deployed,
whatever files exist on the web server. A package is written to a temporary
directory and renamed into place, and an existing package is reused only
after checking its files byte for byte; nothing is overwritten in place, so
a worker still running an older build keeps importing exactly that code.

Every module is written as the bytes `compiler.emit.compile_check.module_bytes`
checked: a module Python would not read as UTF-8 (an encoding declaration
in its first two lines, as a build stored before the header was fixed may
hold) is refused before it is written or imported.
"""

from __future__ import annotations

import hashlib
import importlib
import keyword
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from compiler.emit.compile_check import ModuleEncodingError, module_bytes
from compiler.emit.module import class_name_for, module_name_for

PACKAGE_PREFIX = "wfgen_"
_lock = threading.Lock()


class LoaderError(RuntimeError):
    """Generated code could not be written or imported."""


def build_id_for(sources: Mapping[str, str]) -> str:
    """A build's content hash: first 12 hex digits of sha256 over the sorted (identifier, source) pairs.

    Neither an identifier (a slug) nor Python source (compile refuses NUL)
    holds a NUL byte, so the separators make the pairs unambiguous.
    """
    digest = hashlib.sha256()
    for identifier in sorted(sources):
        digest.update(identifier.encode())
        digest.update(b"\0")
        digest.update(sources[identifier].encode())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def default_directory() -> Path:
    from django.conf import settings

    return Path(settings.GENERATED_CODE_DIR)


def _write_package(sources: Mapping[str, str], modules: Mapping[str, str], directory) -> tuple[Path, str]:
    """Write a build (identifier -> source) as one package, or reuse an identical one; returns (directory, package)."""
    contents = {module: _module_bytes(module, sources[identifier]) for identifier, module in modules.items()}
    root = Path(directory) if directory is not None else default_directory()
    name = PACKAGE_PREFIX + build_id_for(sources)
    target = root / name
    with _lock:
        if not target.exists():
            root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
            (staging / "__init__.py").write_text('"""Generated workflow modules; see compiler/builds/loader.py."""\n')
            for module, data in sorted(contents.items()):
                (staging / f"{module}.py").write_bytes(data)
            try:
                os.rename(staging, target)
            except OSError:  # another process wrote the same package first
                shutil.rmtree(staging, ignore_errors=True)
        _check_package(target, contents)
    return root, name


def _modules(sources: Mapping[str, str]) -> dict[str, str]:
    """Module name by identifier; refuses names Python cannot import and two identifiers sharing a module."""
    modules = {identifier: module_name_for(identifier) for identifier in sources}
    for identifier, module in modules.items():
        if not module.isidentifier() or keyword.iskeyword(module) or module == "__init__":
            raise LoaderError(f"{identifier!r} does not give a valid module name")
    if len(set(modules.values())) < len(modules):
        raise LoaderError(f"two workflows share a module name: {', '.join(sorted(modules))}")
    return modules


def _module_bytes(module: str, source: str) -> bytes:
    try:
        return module_bytes(source)
    except ModuleEncodingError as problem:
        raise LoaderError(f"refusing to load module {module}: {problem}; compile and deploy it again") from None


def _check_package(target: Path, contents: Mapping[str, bytes]) -> None:
    for module, data in contents.items():
        path = target / f"{module}.py"
        if not path.exists() or path.read_bytes() != data:
            raise LoaderError(f"{path} does not hold the expected source; remove {target} and load again")


def import_package(sources: Mapping[str, str], directory: Path | str | None = None) -> dict[str, ModuleType]:
    """Write (if needed) and import every module of a build; returns identifier -> module."""
    modules = _modules(sources)
    root, name = _write_package(sources, modules, directory)
    with _lock:
        if str(root) not in sys.path:
            sys.path.append(str(root))
        importlib.invalidate_caches()
    try:
        return {
            identifier: importlib.import_module(f"{name}.{module}") for identifier, module in sorted(modules.items())
        }
    except Exception as problem:
        raise LoaderError(f"cannot import generated package {name}: {problem}") from problem


def load_workflows(sources: Mapping[str, str], directory: Path | str | None = None) -> dict[str, type]:
    """Workflow classes by identifier, from a build's sources by identifier (a `Deployment.sources`).

    Raises `LoaderError` when they cannot be written or imported.
    """
    modules = import_package(sources, directory)
    return {identifier: getattr(module, class_name_for(identifier)) for identifier, module in modules.items()}
