"""child_workflow: runs another workflow of the project, waiting for it or not."""

from __future__ import annotations

from vocabulary import PARENT_CLOSE_POLICIES

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..node_type import NodeType
from .common import RESULT_VAR

NODE_TYPE = NodeType(
    "child_workflow",
    "Child workflow",
    "Runs another workflow of the project.",
    "steps",
    "workflow",
    fields=(
        Field(
            "workflow",
            "slug",
            required=True,
            help="Identifier of a workflow of this project.",
            example="child-workflow",
        ),
        Field("input", "expression", default="{}"),
        Field("workflow_id", "expression", label="Child id"),
        Field("wait", "bool", label="Wait for the result", default=True),
        Field("parent_close_policy", "choice", choices=tuple(PARENT_CLOSE_POLICIES), default="terminate"),
        RESULT_VAR,
    ),
    out_edges=("next", "error"),
    result_field="result_var",
    drawing=Drawing(
        badges=(
            BadgeSpec("→ {workflow}", "info", "Starts this workflow of the project", when="wait"),
            BadgeSpec("→ {workflow} · fire and forget", "info", "Starts this workflow of the project", unless="wait"),
        ),
    ),
)
