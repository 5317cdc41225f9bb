"""agent: an LLM agent step, run by the built-in `agent` activity."""

from __future__ import annotations

from ..drawing import Drawing, retry_policy_badge
from ..fields import Field
from ..node_type import NodeType
from .common import RETRY, timeout

NODE_TYPE = NodeType(
    "agent",
    "Agent",
    "An LLM agent step (the built-in agent activity).",
    "steps",
    "sparkles",
    fields=(
        Field(
            "prompt",
            "longtext",
            required=True,
            help="Template; $name is filled from the context.",
            example="Describe the task.",
        ),
        Field("context", "expression_map", default={}),
        Field("model", "text", default=""),
        Field("tools", "text_list", label="MCP tools", default=[], help="server.tool names"),
        Field("output_schema", "json", label="Output JSON schema"),
        Field("output_var", "identifier", label="Output variable"),
        Field("max_turns", "int", default=5, minimum=1, maximum=1000),
        timeout(300.0),
        RETRY,
    ),
    out_edges=("next", "error"),
    result_field="output_var",
    drawing=Drawing(subtitle="agent {model}", badges=(retry_policy_badge,)),
)
