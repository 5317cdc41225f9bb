"""A package-builder workspace of N packages, random dependencies: `python benchmarks/package_workspace.py DIR [N]`.

Writes the layout the package-builder demo reads (examples/package_management/
workspace, examples/package_management/sample.py `Workspace`): for each
package `packages/<name>/package.json` (name, version, category,
dependencies, description, license, size), `src/index.js` and
`tests/cases.json`, and empty `registry/`, `plans/` and `build-plans/`
directories, so nothing is published yet and every package is built.

Dependencies form a random DAG: package i depends on up to `max_dependencies`
of the packages before it, chosen with a fixed seed, so the same N always
gives the same workspace (and the same build order). Names are
`pkg-0000`, `pkg-0001`, ... benchmarks/spawner_packages.py builds such a
workspace with the compiled package-builder; tests/compiler/test_spawner_packages.py a
small one.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

PACKAGES = 2_000
SEED = 16  # issue 16
MAX_DEPENDENCIES = 3
CATEGORIES = ("library", "service", "tool")


def package_names(count: int) -> list[str]:
    return [f"pkg-{index:04d}" for index in range(count)]


def dependencies(count: int, seed: int = SEED, max_dependencies: int = MAX_DEPENDENCIES) -> dict[str, list[str]]:
    """{name: its dependencies}, each among the packages before it (so no cycle), chosen with `seed`."""
    rng = random.Random(seed)
    names = package_names(count)
    graph = {}
    for index, name in enumerate(names):
        chosen = rng.sample(names[:index], min(index, rng.randint(0, max_dependencies)))
        graph[name] = sorted(chosen)
    return graph


def write_workspace(root: Path, count: int = PACKAGES, seed: int = SEED) -> dict[str, list[str]]:
    """Write the workspace under `root` (created; must not hold packages yet); returns the dependencies."""
    graph = dependencies(count, seed)
    rng = random.Random(seed + 1)
    for directory in ("registry", "plans", "build-plans"):
        (root / directory).mkdir(parents=True, exist_ok=True)
    for name, depends_on in graph.items():
        package = root / "packages" / name
        if package.exists():
            raise FileExistsError(f"{package} exists: generate into an empty directory")
        (package / "src").mkdir(parents=True)
        (package / "tests").mkdir()
        manifest = {
            "category": rng.choice(CATEGORIES),
            "dependencies": depends_on,
            "description": f"Generated package {name}.",
            "license": "MIT",
            "name": name,
            "size": 1,
            "version": "1.0.0",
        }
        _write_json(package / "package.json", manifest)
        (package / "src" / "index.js").write_text(f"module.exports = {{ name: '{name}', version: '1.0.0' }};\n")
        _write_json(package / "tests" / "cases.json", {"cases": [{"expect": name, "name": f"{name} loads"}]})
    return graph


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    count = int(sys.argv[2]) if len(sys.argv) == 3 else PACKAGES
    graph = write_workspace(Path(sys.argv[1]), count)
    edges = sum(map(len, graph.values()))
    print(f"wrote {count} packages with {edges} dependencies under {sys.argv[1]} (seed {SEED})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
