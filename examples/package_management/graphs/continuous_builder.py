"""`continuous-builder`: a long-running orchestrator that builds packages as they are queued.

It runs under the fixed id ``continuous-builder-orchestrator`` (the mcp-poller
signals it with signal-with-start). Signals change its state only; the main
loop waits for work or a control signal, spawns `package-build` children
from the queue (highest priority first, de-duplicated by name) up to the
concurrency limit, and handles each finished child: success marks the package
published in the MCP package queue; failure retries it after 1, 2 and 3
minutes and then marks it failed. The loop continues as new every 100
iterations, every 24 hours or when the server suggests it, carrying its state
(the queue included).
"""

from __future__ import annotations

from .common import DEFAULT_WORKSPACE, GraphBuilder, field

CHILD_INPUT = (
    "{'package_name': item.name, 'dependencies': get(item, 'dependencies', []), "
    "'category': get(item, 'category', ''), 'workspace_root': input.workspace_root, 'config': input.config}"
)
# Pausing, draining and stopping all mean "start nothing new"; running children finish.
MAX_CONCURRENCY = "0 if paused or draining or stopping else (concurrency_limit or input.max_concurrency)"


def _mark(status: str) -> dict:
    return {
        "activity": "mcp_call",
        "args": {
            "server": "'packages'",
            "tool": "'packages_update'",
            "arguments": "{'name': item.name, 'status': " + repr(status) + "}",
        },
    }


def continuous_builder() -> dict:
    g = GraphBuilder(
        "continuous-builder",
        "Continuous Builder",
        "Long-running orchestrator: queue packages by signal, build them concurrently, retry failures, "
        "continue-as-new with the queue.",
    )
    g.node(
        "start", "start", "Start",
        workflow_id="continuous-builder-orchestrator",
        input_fields=[
            field("max_concurrency", "int", 4),
            field("workspace_root", "str", DEFAULT_WORKSPACE),
            field("config", "dict", {"build_delay_seconds": 0.05}),
        ],
    )  # fmt: skip

    for name, type_, initial in (
        ("queue", "list", []),
        ("paused", "bool", False),
        ("draining", "bool", False),
        ("stopping", "bool", False),
        ("concurrency_limit", "int", 0),
    ):
        g.node(f"state-{name.replace('_', '-')}", "state", name, name=name, type=type_, initial=initial)

    g.node(
        "on-new-packages", "signal_handler", "newPackages",
        signal="newPackages",
        actions=[{"op": "merge", "var": "queue", "value": "payload", "key": "name", "priority": "priority"}],
    )  # fmt: skip
    g.node("on-pause", "signal_handler", "pause", signal="pause",
           actions=[{"op": "set", "var": "paused", "value": "True"}])  # fmt: skip
    g.node("on-resume", "signal_handler", "resume", signal="resume",
           actions=[{"op": "set", "var": "paused", "value": "False"}])  # fmt: skip
    g.node("on-drain", "signal_handler", "drain", signal="drain",
           actions=[{"op": "set", "var": "draining", "value": "True"}])  # fmt: skip
    g.node(
        "on-emergency-stop", "signal_handler", "emergencyStop",
        signal="emergencyStop",
        actions=[{"op": "set", "var": "stopping", "value": "True"}, {"op": "cancel_children"}],
    )  # fmt: skip
    g.node(
        "on-adjust-concurrency", "signal_handler", "adjustConcurrency",
        signal="adjustConcurrency",
        actions=[{"op": "set", "var": "concurrency_limit", "value": "payload"}],
    )  # fmt: skip

    g.node(
        "query-state", "query", "state",
        name="state",
        expression="{'queue': queue, 'paused': paused, 'draining': draining, 'stopping': stopping, "
        "'concurrency_limit': concurrency_limit}",
    )  # fmt: skip
    g.node(
        "query-status", "query", "status",
        name="status",
        expression="{'queued': len(queue), 'paused': paused, 'draining': draining, 'stopping': stopping, "
        "'last_round': builds}",
    )  # fmt: skip

    g.node(
        "main-loop", "loop", "Main Loop",
        while_expression="not stopping and not draining",
        wait_for="stopping or draining or (not paused and len(queue) > 0)",
        continue_as_new_suggested=True,
        continue_as_new_iterations=100,
        continue_as_new_seconds=86400,
    )  # fmt: skip
    g.node(
        "spawn-builds", "spawner", "Spawn Builds", parent="main-loop",
        items="queue",
        workflow="package-build",
        item_key="item.name",
        input=CHILD_INPUT,
        child_id="'continuous-build-' + item.name",
        max_concurrency=MAX_CONCURRENCY,
        on_failure="continue",
        result_var="builds",
    )  # fmt: skip

    # Handle Completion: runs once per finished child.
    def in_completion(key: str, type_: str, label: str, **config: object) -> str:
        return g.node(key, type_, label, parent="spawn-builds", slot="on_complete", **config)

    in_completion("build-succeeded", "condition", "Build Succeeded?", expression="child_status == 'completed'")
    in_completion("mark-published", "activity", "Mark Published", **_mark("published"))
    # A build cancelled by emergencyStop (or failing while stopping) is not retried: it goes back to queued.
    in_completion(
        "worth-retrying", "condition", "Worth Retrying?", expression="child_status == 'failed' and not stopping"
    )
    in_completion("mark-queued", "activity", "Mark Queued", **_mark("queued"))
    in_completion(
        "requeue-build", "retry_block", "Re-queue Build",
        max_attempts=3, backoff="none", on_exhausted="error_edge",
    )  # fmt: skip
    g.node("back-off", "timer", "Back Off", parent="requeue-build", duration="60 * attempt")
    g.node(
        "rebuild-package", "child_workflow", "Rebuild Package", parent="requeue-build",
        workflow="package-build",
        input=CHILD_INPUT,
        workflow_id="'continuous-build-' + item.name + '-retry-' + str(attempt)",
    )  # fmt: skip
    g.chain("back-off", "rebuild-package")
    in_completion("mark-failed", "activity", "Mark Failed", **_mark("failed"))
    g.edge("build-succeeded", "mark-published", "true")
    g.edge("build-succeeded", "worth-retrying", "false")
    g.edge("worth-retrying", "requeue-build", "true")
    g.edge("worth-retrying", "mark-queued", "false")
    g.edge("requeue-build", "mark-published")
    g.edge("requeue-build", "mark-failed", "error")

    g.node(
        "finished", "end", "Finished",
        result="{'stopped': stopping, 'drained': draining, 'queue': queue, 'last_round': builds}",
    )  # fmt: skip
    g.chain("start", "main-loop", "finished")
    return g.document()
