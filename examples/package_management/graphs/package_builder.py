"""`package-builder`: build a set of packages in dependency order, five phases.

INITIALIZE chooses the workspace (the input's, or a fresh copy of the sample
per build_id), discovers the packages and layers them (a dependency cycle
fails here, naming the cycle); PLAN drops what is already published and validates
upgrade plans; BUILD spawns one `package-build` child per package, a package
starting only when its dependencies completed, at most
``config.max_concurrent_builds`` at a time; VERIFY runs integration checks
against the local registry; COMPLETE loads the per-package reports and writes
the build report (totals, failures, slowest packages).
"""

from __future__ import annotations

from .common import GraphBuilder, field

# A build works on its own copy of the sample, so a second build (a new build_id) builds again instead of
# finding everything "already published" by the first.
WORKSPACE_HELP = "Working copy of the sample workspace; empty: a fresh copy per build, builds/<build_id>."

CHILD_INPUT = (
    "{'package_name': item.name, 'package_path': item.path, 'plan_path': item.plan_path, "
    "'category': item.category, 'dependencies': item.dependencies, "
    "'workspace_root': workspace, 'config': input.config, 'build_id': input.build_id}"
)


def package_builder() -> dict:
    g = GraphBuilder(
        "package-builder",
        "Package Builder",
        "Builds packages in dependency order: INITIALIZE, PLAN, BUILD (concurrent package-build children), "
        "VERIFY, COMPLETE.",
    )
    g.node(
        "start", "start", "Start",
        input_fields=[
            field("build_id", "str", required=True, description="Names the children: build-<build_id>-<package>."),
            field("workspace_root", "str", "", description=WORKSPACE_HELP),
            field("packages", "list", [], description="Package names (or records with dependencies); empty: all."),
            field("plan_path", "str", "", description="A build plan JSON {packages: [...]} inside the workspace."),
            field("config", "dict", {"max_concurrent_builds": 4, "build_delay_seconds": 0.05}),
        ],
        example_input={"build_id": "demo-1"},
    )  # fmt: skip

    g.node("initialize", "phase", "INITIALIZE", name="INITIALIZE")
    g.node(
        "choose-workspace", "assign", "Choose Workspace", parent="initialize",
        values={"workspace": "input.workspace_root or 'builds/' + input.build_id"},
    )  # fmt: skip
    g.node(
        "discover-packages", "activity", "Discover Packages", parent="initialize",
        activity="discover_packages",
        args={"workspace_root": "workspace", "packages": "input.packages", "plan_path": "input.plan_path"},
        result_var="packages",
    )  # fmt: skip
    g.node(
        "build-dependency-graph", "dependency_graph", "Build Dependency Graph", parent="initialize",
        items="packages", item_key="item.name", depends_on="item.dependencies", output_var="layers",
    )  # fmt: skip
    g.chain("choose-workspace", "discover-packages", "build-dependency-graph")

    g.node("plan", "phase", "PLAN", name="PLAN")
    g.node(
        "verify-plans", "activity", "Verify Plans", parent="plan",
        activity="verify_plans",
        args={"workspace_root": "workspace", "packages": "packages", "layers": "layers"},
        result_var="plan",
    )  # fmt: skip

    g.node("build", "phase", "BUILD", name="BUILD")
    g.node(
        "build-packages", "spawner", "Build Packages", parent="build",
        items="plan.to_build",
        workflow="package-build",
        item_key="item.name",
        input=CHILD_INPUT,
        child_id="'build-' + input.build_id + '-' + item.name",
        depends_on="item.pending_dependencies",
        max_concurrency="get(input.config, 'max_concurrent_builds', 4)",
        on_failure="skip_dependents",
        result_var="build_results",
    )  # fmt: skip
    g.node(
        "record-result", "activity", "Record Result", parent="build-packages", slot="on_complete",
        activity="record_build_result",
        args={
            "workspace_root": "workspace",
            "build_id": "input.build_id",
            "package_name": "item.name",
            "status": "child_status",
            "error": "error",
        },
    )  # fmt: skip

    g.node("verify", "phase", "VERIFY", name="VERIFY")
    g.node(
        "integration-tests", "activity", "Integration Tests", parent="verify",
        activity="run_integration_tests",
        args={"workspace_root": "workspace", "packages": "plan.to_build"},
        result_var="integration",
    )  # fmt: skip

    g.node("complete", "phase", "COMPLETE", name="COMPLETE")
    g.node(
        "load-package-reports", "activity", "Load Package Reports", parent="complete",
        activity="load_package_reports",
        args={"workspace_root": "workspace", "build_id": "input.build_id", "packages": "plan.to_build"},
        result_var="package_reports",
    )  # fmt: skip
    g.node(
        "generate-build-report", "activity", "Generate Build Report", parent="complete",
        activity="generate_build_report",
        args={
            "workspace_root": "workspace",
            "build_id": "input.build_id",
            "plan": "plan",
            "results": "build_results",
            "reports": "package_reports",
            "integration": "integration",
        },
        result_var="build_report",
    )  # fmt: skip
    g.chain("load-package-reports", "generate-build-report")

    g.node("done", "end", "Done", result="build_report")
    g.chain("start", "initialize", "plan", "build", "verify", "complete", "done")
    return g.document()
