"""`mcp-poller`: every 30 minutes, ask the MCP package queue for work and hand it to the orchestrator.

Signal Orchestrator uses signal-with-start, so the continuous builder is
started when it is not running instead of the signal failing.
"""

from __future__ import annotations

from .common import DEFAULT_WORKSPACE, GraphBuilder, field


def mcp_poller() -> dict:
    g = GraphBuilder(
        "mcp-poller",
        "MCP Poller",
        "Every 30 minutes: fetch the build queue from the packages MCP server and signal-with-start the "
        "continuous builder with newPackages.",
    )
    g.node(
        "start", "start", "Every 30 minutes",
        trigger="cron", cron="*/30 * * * *", timezone="UTC", overlap_policy="skip",
        input_fields=[field("workspace_root", "str", DEFAULT_WORKSPACE)],
    )  # fmt: skip
    g.node(
        "query-mcp", "activity", "Query MCP",
        activity="mcp_call",
        args={
            "server": "'packages'",
            "tool": "'packages_get_build_queue'",
            "arguments": "{'limit': 10, 'exclude_blocked': True}",
        },
        result_var="build_queue",
    )  # fmt: skip
    g.node("any-packages", "condition", "any packages?", expression="len(build_queue.packages) > 0")
    g.node(
        "signal-orchestrator", "signal_send", "Signal Orchestrator",
        workflow_id="'continuous-builder-orchestrator'",
        signal="newPackages",
        payload="build_queue.packages",
        start_if_missing=True,
        workflow="continuous-builder",
        start_input="{'max_concurrency': 4, 'workspace_root': input.workspace_root}",
    )  # fmt: skip
    g.node("signalled", "end", "Signalled", result="{'signalled': True, 'packages': len(build_queue.packages)}")
    g.node("nothing-to-do", "end", "Nothing To Do", result="{'signalled': False, 'packages': 0}")
    g.chain("start", "query-mcp", "any-packages")
    g.edge("any-packages", "signal-orchestrator", "true")
    g.edge("any-packages", "nothing-to-do", "false")
    g.chain("signal-orchestrator", "signalled")
    return g.document()
