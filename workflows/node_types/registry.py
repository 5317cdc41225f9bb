"""The sixteen node types: what each means, its config and where it may stand.

Adding a node type means adding one `NodeType` here, its lowering in the
compiler, its canvas template and its tests; nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vocabulary import BACKOFFS, RETRY_BLOCK_DEFAULTS

from .fields import MAX_COUNT, MAX_MULTIPLIER, MAX_SECONDS, RETRY_KEYS, ConfigError, Field

EDGE_KINDS = ("next", "true", "false", "error")
SCHEDULE_OVERLAP = ("skip", "buffer_one", "buffer_all", "cancel_other", "terminate_other", "allow_all")
PARENT_CLOSE = ("terminate", "abandon", "request_cancel")
FAILURE_POLICIES = ("fail_fast", "continue", "skip_dependents")

_RETRY = Field("retry", "retry_policy", label="Retry policy", default=dict(RETRY_KEYS))
_BLOCK = RETRY_BLOCK_DEFAULTS
_TIMEOUT = Field(
    "start_to_close_timeout", "float", label="Timeout (seconds)", default=60.0, minimum=0.001, maximum=MAX_SECONDS
)


@dataclass(frozen=True)
class NodeType:
    """A node type: its config schema and the structural rules of the graph."""

    name: str
    title: str
    description: str
    category: str
    icon: str
    fields: tuple[Field, ...] = ()
    # Containers hold other nodes; each child sits in one slot.
    slots: tuple[str, ...] = ()
    # Edge kinds that may leave a node of this type.
    out_edges: tuple[str, ...] = ("next",)

    @property
    def is_container(self) -> bool:
        return bool(self.slots)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def defaults(self) -> dict[str, Any]:
        return {f.name: f.initial() for f in self.fields if f.default is not None}

    def clean_config(self, config: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """Normalised config and field errors ({} when valid). Never raises."""
        if not isinstance(config, dict):
            return {}, {"config": ["must be a JSON object"]}
        errors: dict[str, list[str]] = {}
        known = {f.name for f in self.fields}
        for name in sorted(set(config) - known):
            errors[str(name)] = [
                f"is not a setting of {self.title} nodes (known: {', '.join(sorted(known)) or 'none'})"
            ]
        cleaned: dict[str, Any] = {}
        for spec in self.fields:
            value = config.get(spec.name)
            if spec.is_empty(value):
                if spec.required:
                    errors[spec.name] = ["is required"]
                elif spec.default is not None:
                    cleaned[spec.name] = spec.initial()
                continue
            try:
                cleaned[spec.name] = spec.clean(value)
            except ConfigError as error:
                errors[spec.name] = [str(error)]
        for name, message in self._cross_field_errors(cleaned):
            errors.setdefault(name, []).append(message)
        return cleaned, errors

    def _cross_field_errors(self, config: dict[str, Any]) -> list[tuple[str, str]]:
        if self.name == "start" and config.get("trigger") == "cron" and not config.get("cron"):
            return [("cron", "is required when the trigger is cron")]
        if self.name == "signal_send" and config.get("start_if_missing") and not config.get("workflow"):
            return [("workflow", "is required to start the target when it is missing")]
        return []


NODE_TYPES: dict[str, NodeType] = {
    t.name: t
    for t in (
        NodeType(
            "start",
            "Start",
            "Entry of the workflow: manual or cron trigger, declares the input.",
            "flow",
            "play",
            fields=(
                Field("trigger", "choice", choices=("manual", "cron"), default="manual"),
                Field("cron", "cron", help="Five fields, e.g. */30 * * * * (every 30 minutes)."),
                Field("timezone", "timezone", default="UTC"),
                Field("overlap_policy", "choice", choices=SCHEDULE_OVERLAP, default="skip"),
                Field("input_fields", "input_fields", label="Input fields", default=[]),
                Field("cron_input", "json", label="Input for scheduled runs", default={}),
                Field(
                    "workflow_id",
                    "text",
                    label="Fixed workflow id",
                    help="Runs use this id (one running instance at a time).",
                ),
            ),
        ),
        NodeType(
            "end",
            "End",
            "Finishes the workflow with a result.",
            "flow",
            "stop",
            fields=(Field("result", "expression", help="The workflow's result, e.g. {'ok': True}."),),
            out_edges=(),
        ),
        NodeType(
            "activity",
            "Activity",
            "Calls one registered activity.",
            "steps",
            "bolt",
            fields=(
                Field("activity", "text", required=True, help="Name of a registered activity."),
                Field("args", "expression_map", label="Arguments", default={}),
                Field("result_var", "identifier", label="Result variable"),
                _TIMEOUT,
                Field("heartbeat_timeout", "float", minimum=0.001, maximum=MAX_SECONDS),
                _RETRY,
            ),
            out_edges=("next", "error"),
        ),
        NodeType(
            "agent",
            "Agent",
            "An LLM agent step (the built-in agent activity).",
            "steps",
            "sparkles",
            fields=(
                Field("prompt", "longtext", required=True, help="Template; $name is filled from the context."),
                Field("context", "expression_map", default={}),
                Field("model", "text", default=""),
                Field("tools", "text_list", label="MCP tools", default=[], help="server.tool names"),
                Field("output_schema", "json", label="Output JSON schema"),
                Field("output_var", "identifier", label="Output variable"),
                Field("max_turns", "int", default=5, minimum=1, maximum=1000),
                Field(
                    "start_to_close_timeout",
                    "float",
                    label="Timeout (seconds)",
                    default=300.0,
                    minimum=0.001,
                    maximum=MAX_SECONDS,
                ),
                _RETRY,
            ),
            out_edges=("next", "error"),
        ),
        NodeType(
            "condition",
            "Condition",
            "If/else on an expression.",
            "flow",
            "split",
            fields=(Field("expression", "expression", required=True),),
            out_edges=("true", "false"),
        ),
        NodeType(
            "child_workflow",
            "Child workflow",
            "Runs another workflow of the project.",
            "steps",
            "workflow",
            fields=(
                Field("workflow", "slug", required=True, help="Identifier of a workflow of this project."),
                Field("input", "expression", default="{}"),
                Field("workflow_id", "expression", label="Child id"),
                Field("wait", "bool", label="Wait for the result", default=True),
                Field("parent_close_policy", "choice", choices=PARENT_CLOSE, default="terminate"),
                Field("result_var", "identifier", label="Result variable"),
            ),
            out_edges=("next", "error"),
        ),
        NodeType(
            "spawner",
            "Spawner",
            "Concurrent child workflows over a list, dependency-aware.",
            "concurrency",
            "layers",
            fields=(
                Field("items", "expression", required=True),
                Field("workflow", "slug", required=True, label="Child workflow"),
                Field("item_key", "expression", label="Item key", default="item"),
                Field("input", "expression", label="Per-item input", default="item"),
                Field("child_id", "expression", label="Child id"),
                Field("depends_on", "expression", label="Depends on", help="Keys this item waits for."),
                Field("max_concurrency", "expression", label="Max concurrency", default="4", minimum=1, maximum=10_000),
                Field("on_failure", "choice", choices=FAILURE_POLICIES, default="skip_dependents"),
                Field("result_var", "identifier", label="Result variable"),
            ),
            slots=("on_complete",),
            out_edges=("next", "error"),
        ),
        NodeType(
            "signal_send",
            "Send signal",
            "Signals another workflow, optionally starting it.",
            "signals",
            "send",
            fields=(
                Field("workflow_id", "expression", required=True, label="Target workflow id"),
                Field("signal", "text", required=True),
                Field("payload", "expression", default="None"),
                Field("start_if_missing", "bool", default=False, label="Start if missing (signal-with-start)"),
                Field("workflow", "slug", label="Workflow to start"),
                Field("start_input", "expression", default="{}"),
            ),
            out_edges=("next", "error"),
        ),
        NodeType(
            "signal_handler",
            "Signal handler",
            "Receives a signal and changes state.",
            "signals",
            "inbox",
            fields=(
                Field("signal", "identifier", required=True),
                Field("payload_fields", "input_fields", default=[]),
                Field("actions", "signal_actions", default=[]),
            ),
            out_edges=(),
        ),
        NodeType(
            "query",
            "Query",
            "Exposes state to callers.",
            "signals",
            "eye",
            fields=(
                Field("name", "identifier", required=True),
                Field("expression", "expression", required=True),
            ),
            out_edges=(),
        ),
        NodeType(
            "state",
            "State variable",
            "Declares a state variable.",
            "data",
            "database",
            fields=(
                Field("name", "identifier", required=True),
                Field("type", "choice", choices=("str", "int", "float", "bool", "list", "dict", "any"), default="any"),
                Field("initial", "json"),
            ),
            out_edges=(),
        ),
        NodeType(
            "phase",
            "Phase",
            "A named stage; its children run in sequence.",
            "containers",
            "box",
            fields=(Field("name", "text", required=True),),
            slots=("body",),
        ),
        NodeType(
            "retry_block",
            "Retry block",
            "Retries a multi-node body, with remediation between attempts.",
            "containers",
            "repeat",
            fields=(
                Field("max_attempts", "int", default=_BLOCK["max_attempts"], minimum=1, maximum=MAX_COUNT),
                Field("backoff", "choice", choices=BACKOFFS, default=_BLOCK["backoff"]),
                Field("initial_interval", "float", default=_BLOCK["initial_interval"], minimum=0, maximum=MAX_SECONDS),
                Field("multiplier", "float", default=_BLOCK["multiplier"], minimum=1, maximum=MAX_MULTIPLIER),
                Field("max_interval", "float", default=_BLOCK["max_interval"], minimum=0, maximum=MAX_SECONDS),
                Field("on_exhausted", "choice", choices=("fail", "error_edge"), default="fail"),
            ),
            slots=("body", "remediation"),
            out_edges=("next", "error"),
        ),
        NodeType(
            "loop",
            "Loop",
            "A long-running loop with continue-as-new.",
            "containers",
            "loop",
            fields=(
                Field("while_expression", "expression", label="While", default="True"),
                Field("wait_for", "expression", label="Wait for", help="Waits until true before each iteration."),
                Field("continue_as_new_suggested", "bool", label="Continue-as-new when suggested", default=True),
                Field(
                    "continue_as_new_iterations",
                    "int",
                    label="Continue-as-new after N iterations",
                    minimum=1,
                    maximum=MAX_COUNT,
                ),
                Field(
                    "continue_as_new_seconds",
                    "float",
                    label="Continue-as-new after seconds",
                    minimum=1,
                    maximum=MAX_SECONDS,
                ),
            ),
            slots=("body",),
        ),
        NodeType(
            "dependency_graph",
            "Dependency graph",
            "Build order (layers) from items with dependencies.",
            "concurrency",
            "graph",
            fields=(
                Field("items", "expression", required=True),
                Field("item_key", "expression", label="Item key", default="item['name']"),
                Field("depends_on", "expression", label="Depends on", default="item['dependencies']"),
                Field("output_var", "identifier", required=True, label="Output variable"),
            ),
            out_edges=("next", "error"),
        ),
        NodeType(
            "timer",
            "Timer",
            "Durable sleep.",
            "flow",
            "clock",
            fields=(
                Field(
                    "duration", "expression", required=True, label="Duration (seconds)", minimum=0, maximum=MAX_SECONDS
                ),
            ),
        ),
    )
}

CONTAINER_TYPES = frozenset(name for name, t in NODE_TYPES.items() if t.is_container)
# Nodes that describe the workflow rather than a step in its flow.
DECLARATION_TYPES = frozenset({"state", "signal_handler", "query"})


def get_node_type(name: str) -> NodeType | None:
    return NODE_TYPES.get(name)
