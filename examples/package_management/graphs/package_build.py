"""`package-build`: pre-flight checks, then build, test, quality-check and publish one package.

Pre-flight: Code Exists? -> Published? -> Upgrade Plan?. A published package
without an upgrade plan is marked published and finishes early with success;
an upgrade is audited (and its version bump applied) and rebuilt; an
unpublished package gets its working state audited; missing code goes
straight on to the scaffold agent.

Build and Tests are retry blocks (3 attempts, exponential backoff from 1 s);
Quality retries 3 times without backoff. Between attempts a fix agent
diagnoses ``last_error`` and Apply Fix records its fix, which the next
attempt picks up. Every failure path (dependencies, scaffold, build, tests,
quality, publish) takes an error edge to Write Report, so the report is
written on success and on failure; a failed build then fails the workflow
(Fail Build) so a parent spawner sees the child fail and skips dependents.
"""

from __future__ import annotations

from .common import DEFAULT_WORKSPACE, FIX_OUTPUT_SCHEMA, SCAFFOLD_OUTPUT_SCHEMA, SINGLE_ATTEMPT, GraphBuilder, field

WS = "input.workspace_root"
PKG = "input.package_name"

FIX_PROMPT = (
    "Fix the failing $step of package $package_name (attempt $attempt). The last error was: $error. "
    "Answer with a diagnosis, the fix and the files you changed."
)
STEPS = (
    "{'dependencies': dependencies, 'scaffold': scaffold, 'build': build_output, "
    "'tests': test_output, 'quality': quality_output, 'publish': publication}"
)
ALREADY_PUBLISHED = (
    "{'success': True, 'package_name': input.package_name, 'failed_phase': None, 'error': None, "
    "'fix_attempts': 0, 'report': 'already published at ' + str(published.latest), 'skipped': True}"
)


def _retry_step(
    g: GraphBuilder, key: str, label: str, activity: str, result_var: str, step: str,
    extra_args: dict[str, str] | None = None, **block: object,
) -> str:  # fmt: skip
    """A retry block with one simulated step in its body and fix agent + Apply Fix as remediation."""
    block_key = g.node(f"{key}-retry", "retry_block", label, max_attempts=3, on_exhausted="error_edge", **block)
    g.node(
        key, "activity", label, parent=block_key,
        activity=activity,
        args={"workspace_root": WS, "package_name": PKG, "config": "input.config", **(extra_args or {})},
        result_var=result_var, retry=SINGLE_ATTEMPT,
    )  # fmt: skip
    fix_var = f"{step}_fix"
    g.node(
        f"fix-{step}", "agent", f"Fix {step.capitalize()}", parent=block_key, slot="remediation",
        prompt=FIX_PROMPT,
        context={"step": repr(step), "package_name": PKG, "attempt": "attempt", "error": "last_error"},
        output_schema=FIX_OUTPUT_SCHEMA, output_var=fix_var, max_turns=3,
    )  # fmt: skip
    g.node(
        f"apply-{step}-fix", "activity", f"Apply {step.capitalize()} Fix", parent=block_key, slot="remediation",
        activity="apply_fix",
        args={"workspace_root": WS, "package_name": PKG, "step": repr(step), "fix": fix_var},
    )  # fmt: skip
    g.chain(f"fix-{step}", f"apply-{step}-fix")
    return block_key


def package_build() -> dict:
    g = GraphBuilder(
        "package-build",
        "Package Build",
        "Builds one package: pre-flight checks, scaffold, build, tests, quality, publish, report.",
    )
    g.node(
        "start", "start", "Start",
        input_fields=[
            field("package_name", "str", required=True),
            field("package_path", "str", "", description="Inside the workspace; default packages/<name>."),
            field("plan_path", "str", "", description="Upgrade plan; default plans/<name>.json."),
            field("category", "str", ""),
            field("dependencies", "list", []),
            field("workspace_root", "str", DEFAULT_WORKSPACE),
            field("config", "dict", {"build_delay_seconds": 0.05}),
            field("build_id", "str", "", description="Groups reports of one package-builder run."),
        ],
    )  # fmt: skip

    # -- pre-flight ---------------------------------------------------------
    g.node(
        "check-exists", "activity", "Check Package Exists",
        activity="check_package_exists",
        args={"workspace_root": WS, "package_name": PKG, "package_path": "input.package_path"},
        result_var="exists",
    )  # fmt: skip
    g.node("code-exists", "condition", "Code Exists?", expression="exists.code_exists")
    g.node(
        "check-published", "activity", "Check Published",
        activity="check_published", args={"workspace_root": WS, "package_name": PKG}, result_var="published",
    )  # fmt: skip
    g.node("is-published", "condition", "Published?", expression="published.published")
    g.node(
        "check-upgrade-plan", "activity", "Check Upgrade Plan",
        activity="check_upgrade_plan",
        args={"workspace_root": WS, "package_name": PKG, "plan_path": "input.plan_path"},
        result_var="upgrade",
    )  # fmt: skip
    g.node("has-upgrade-plan", "condition", "Upgrade Plan?", expression="upgrade.has_plan")
    g.node(
        "audit-upgrade", "activity", "Audit Upgrade",
        activity="audit_upgrade",
        args={"workspace_root": WS, "package_name": PKG, "plan": "upgrade.plan"},
        result_var="upgrade_audit",
    )  # fmt: skip
    g.node(
        "mark-published", "activity", "Mark Published",
        activity="mark_published",
        args={"workspace_root": WS, "package_name": PKG, "version": "published.latest"},
    )  # fmt: skip
    g.node("finish-early", "end", "Already Published", result=ALREADY_PUBLISHED)
    g.node(
        "audit-state", "activity", "Audit State",
        activity="audit_state", args={"workspace_root": WS, "package_name": PKG}, result_var="state_audit",
    )  # fmt: skip
    g.chain("start", "check-exists", "code-exists")
    g.edge("code-exists", "check-published", "true")
    g.edge("code-exists", "verify-dependencies", "false")
    g.chain("check-published", "is-published")
    g.edge("is-published", "check-upgrade-plan", "true")
    g.edge("is-published", "audit-state", "false")
    g.chain("check-upgrade-plan", "has-upgrade-plan")
    g.edge("has-upgrade-plan", "audit-upgrade", "true")
    g.edge("has-upgrade-plan", "mark-published", "false")
    g.chain("mark-published", "finish-early")
    g.chain("audit-upgrade", "verify-dependencies")
    g.chain("audit-state", "verify-dependencies")

    # -- build --------------------------------------------------------------
    g.node(
        "verify-dependencies", "activity", "Verify Dependencies",
        activity="verify_dependencies",
        args={"workspace_root": WS, "package_name": PKG, "dependencies": "input.dependencies"},
        result_var="dependencies",
    )  # fmt: skip
    g.node(
        "scaffold", "agent", "Scaffold Package",
        prompt=(
            "Scaffold the package $package_name (category $category). Code exists: $code_exists. "
            "List the files the package needs and anything the build should know."
        ),
        context={"package_name": PKG, "category": "input.category", "code_exists": "exists.code_exists"},
        output_schema=SCAFFOLD_OUTPUT_SCHEMA, output_var="scaffold", max_turns=3,
    )  # fmt: skip
    exponential = {"backoff": "exponential", "initial_interval": 1.0, "multiplier": 2.0}
    _retry_step(
        g, "build-package", "Build", "build_package", "build_output", "build",
        extra_args={"scaffold": "scaffold"}, **exponential,
    )  # fmt: skip
    _retry_step(g, "run-tests", "Tests", "run_tests", "test_output", "tests", **exponential)
    _retry_step(g, "check-quality", "Quality", "check_quality", "quality_output", "quality", backoff="none")
    g.node(
        "publish", "activity", "Publish Package",
        activity="publish_package", args={"workspace_root": WS, "package_name": PKG}, result_var="publication",
    )  # fmt: skip
    g.chain("verify-dependencies", "scaffold", "build-package-retry", "run-tests-retry", "check-quality-retry")
    g.chain("check-quality-retry", "publish")

    # -- report (success and failure) ---------------------------------------
    g.node(
        "write-report", "activity", "Write Report",
        activity="write_report",
        args={"workspace_root": WS, "package_name": PKG, "build_id": "input.build_id", "steps": STEPS},
        result_var="build_report",
    )  # fmt: skip
    for failing in ("verify-dependencies", "scaffold", "build-package-retry", "run-tests-retry",
                    "check-quality-retry", "publish"):  # fmt: skip
        g.edge(failing, "write-report", "error")
    g.chain("publish", "write-report")
    g.node("succeeded", "condition", "Succeeded?", expression="build_report.success")
    g.node("done", "end", "Done", result="build_report")
    g.node(
        "fail-build", "activity", "Fail Build",
        activity="fail_build", args={"report": "build_report"}, retry=SINGLE_ATTEMPT,
    )  # fmt: skip
    # Fail Build always raises; the end after it keeps the graph explicit about what a failure returns.
    g.node("failed", "end", "Failed", result="build_report")
    g.chain("write-report", "succeeded")
    g.edge("succeeded", "done", "true")
    g.edge("succeeded", "fail-build", "false")
    g.chain("fail-build", "failed")
    return g.document()
