"""Materialise a build's sources into importable workflow classes on this machine.

A `Deployment` stores sources by workflow identifier; the module and class
names follow from the identifier (the same functions the emitter uses), and
`compiler.builds.loader` writes them as a content-addressed package under
`settings.GENERATED_CODE_DIR` (or reuses an identical one) and imports it.
Workers call this with the row's sources, so what they run is exactly what
was deployed, whatever files exist on the web server.
"""

from __future__ import annotations

from compiler.builds.loader import load_workflows
from compiler.emit.module import class_name_for, module_name_for
from compiler.pipeline import CompileResult


def build_workflows(sources: dict[str, str]) -> dict[str, type]:
    """Workflow classes by identifier; raises `compiler.builds.loader.LoaderError` if they cannot be imported."""
    results = {
        identifier: CompileResult(
            source=source, class_name=class_name_for(identifier), module_name=module_name_for(identifier)
        )
        for identifier, source in sources.items()
    }
    return load_workflows(results)
