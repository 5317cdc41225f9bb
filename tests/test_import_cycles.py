"""No import cycle between the modules of compiler, workflows, projects and config.

The `acyclic_siblings` contract in pyproject.toml (run by `lint-imports`)
sees cycles between the siblings of one package; a cycle that passes through
another package (compiler.a -> workflows.b -> compiler.a) is invisible to
it. This test walks the whole module graph with grimp (what import-linter
builds on) and ignores the same imports the contract ignores, so the known
exceptions are listed once.
"""

from __future__ import annotations

import tomllib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import grimp

PACKAGES = ("compiler", "workflows", "projects", "config")
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def ignored_imports() -> set[tuple[str, str]]:
    """The (importer, imported) pairs the acyclic_siblings contract ignores."""
    contracts = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    contract = next(c for c in contracts if c["type"] == "acyclic_siblings")
    pairs = (entry.split("->") for entry in contract.get("ignore_imports", []))
    return {(importer.strip(), imported.strip()) for importer, imported in pairs}


def import_cycle(graph: grimp.ImportGraph, ignored: set[tuple[str, str]]) -> list[str]:
    """One cycle of direct imports as [a, b, ..., a], or [] when there is none."""
    dependencies = {
        module: sorted(
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if (module, imported) not in ignored
        )
        for module in sorted(graph.modules)
    }
    try:
        TopologicalSorter(dependencies).prepare()
    except CycleError as error:
        return list(error.args[1])
    return []


def test_no_import_cycle_between_product_modules():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycle = import_cycle(graph, ignored_imports())
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported)
    return graph


CROSSING = (
    ("compiler.a", "workflows.b"),
    ("workflows.b", "compiler.c"),
    ("compiler.c", "compiler.a"),
    ("compiler.a", "compiler.d"),
)


def test_a_cycle_through_another_package_is_reported():
    cycle = import_cycle(_graph(*CROSSING), set())
    assert cycle[0] == cycle[-1]
    assert sorted(cycle[1:]) == ["compiler.a", "compiler.c", "workflows.b"]


def test_an_ignored_import_breaks_a_cycle():
    assert import_cycle(_graph(*CROSSING), {("compiler.c", "compiler.a")}) == []
