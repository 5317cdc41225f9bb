"""The package-builder over a generated workspace of 2,000 packages: `python benchmarks/spawner_packages.py [N]`.

Generates a workspace of N packages with random dependencies
(benchmarks/package_workspace.py, fixed seed), starts a local dev server
and builds every package with the seeded `package-builder` and
`package-build` graphs (examples/package_management/graphs), compiled as a
deploy compiles them, on a worker with the example activities. Prints the
packages built, the runs (the BUILD spawner continues as new with its
default threshold), the most events in one run, the longest workflow task,
the largest input carried to a new run and the wall time, against the
targets of issue 16. tests/compiler/test_spawner_packages.py builds a small
workspace with a low threshold.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.package_workspace import write_workspace  # noqa: E402
from benchmarks.spawner_5000 import Chain, print_limits, run_chain, verdict  # noqa: E402

PACKAGES = 2_000
WINDOW = 20
PROJECT_SLUG = "package-management"  # the seed's: the example activities find their workspace under it
SPAWNER = "build-packages"


def builder_workflows(directory: Path, continue_as_new_events: int | None = None) -> dict[str, type]:
    """package-builder and package-build compiled from the seeded graphs; optionally another threshold."""
    from examples.package_management.graphs import package_build, package_builder
    from tests.compiler.execution import load_documents

    builder = package_builder()
    if continue_as_new_events is not None:
        spawner = next(node for node in builder["nodes"] if node["key"] == SPAWNER)
        spawner["config"]["continue_as_new_events"] = continue_as_new_events
    return load_documents(directory, builder, package_build())


async def build(env, workflows: dict[str, type], workspace: Path, window: int) -> Chain:
    """Build every package of `workspace` on a worker with the example activities; the chain of runs."""
    from compiler.activities.loading import load_configured_activities
    from compiler.activities.registry import temporal_activities
    from projects.models import task_queue_name

    load_configured_activities()
    payload = {
        "build_id": f"scale-{uuid.uuid4().hex[:6]}",
        "workspace_root": str(workspace),
        "config": {"max_concurrent_builds": window, "build_delay_seconds": 0},
    }
    queue = task_queue_name(uuid.uuid4(), PROJECT_SLUG)
    return await run_chain(env, workflows, "package-builder", payload, queue, temporal_activities())


async def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else PACKAGES
    with tempfile.TemporaryDirectory() as base:
        os.environ["WORKSPACE_BASE_DIR"] = base
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from tests.temporal_support import start_dev_server

        workspace = Path(base) / PROJECT_SLUG / "workspace"
        write_workspace(workspace, count)
        env = await start_dev_server()
        try:
            chain = await build(env, builder_workflows(Path(base) / "generated"), workspace, WINDOW)
        finally:
            await env.shutdown()
    report = chain.result
    built = report["totals"]["built"]
    once = len(chain.children) == len(set(chain.children)) == count == built
    print(f"package-builder over {count} generated packages (random dependencies), {WINDOW} builds at once")
    print(f"  built: {built} of {count}, success {report['success']}, each child once: {verdict(once)}")
    within = print_limits(chain)
    return 0 if once and within else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
