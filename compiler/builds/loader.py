"""Writing generated modules to disk and importing their workflow classes.

Temporal's workflow sandbox re-imports a workflow's module by name for every
run, so generated code must live in a real, importable module, not in
`exec`'d text. Sources are written as one package per build,
`<directory>/wfgen_<hash>/<module>.py`, where the hash covers every module
name and source: the same sources always land in the same package, and a
changed source lands in a new one. A package is written to a temporary
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

PACKAGE_PREFIX = "wfgen_"
_lock = threading.Lock()


class LoaderError(RuntimeError):
    """Generated code could not be written or imported."""


def package_name(sources: Mapping[str, str]) -> str:
    """The content-addressed package name for a set of modules (module name -> source)."""
    digest = hashlib.sha256()
    for module in sorted(sources):
        for part in (module, sources[module]):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big") + data)
    return PACKAGE_PREFIX + digest.hexdigest()[:20]


def default_directory() -> Path:
    from django.conf import settings

    return Path(settings.GENERATED_CODE_DIR)


def write_package(sources: Mapping[str, str], directory: Path | str | None = None) -> tuple[Path, str]:
    """Write the modules as one package (or reuse an identical one); returns (directory, package name)."""
    for module in sources:
        if not module.isidentifier() or keyword.iskeyword(module) or module == "__init__":
            raise LoaderError(f"{module!r} is not a valid module name")
    contents = {module: _module_bytes(module, source) for module, source in sources.items()}
    root = Path(directory) if directory is not None else default_directory()
    name = package_name(sources)
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
    """Write (if needed) and import every module; returns module name -> module."""
    root, name = write_package(sources, directory)
    with _lock:
        if str(root) not in sys.path:
            sys.path.append(str(root))
        importlib.invalidate_caches()
    try:
        return {module: importlib.import_module(f"{name}.{module}") for module in sorted(sources)}
    except Exception as problem:
        raise LoaderError(f"cannot import generated package {name}: {problem}") from problem


def load_workflows(results: Mapping, directory: Path | str | None = None) -> dict[str, type]:
    """Workflow classes by workflow identifier, from compile results (compiler.pipeline.CompileResult).

    Results without source (compile errors) are refused: loading half a
    project would start workers that fail on the missing workflows.
    """
    failed = sorted(identifier for identifier, result in results.items() if result.source is None)
    if failed:
        raise LoaderError(f"cannot load workflows with compile errors: {', '.join(failed)}")
    modules = import_package({result.module_name: result.source for result in results.values()}, directory)
    return {
        identifier: getattr(modules[result.module_name], result.class_name)
        for identifier, result in sorted(results.items())
    }
