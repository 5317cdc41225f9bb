"""spawner: concurrent child workflows over a list of items, dependency-aware."""

from __future__ import annotations

from vocabulary import FAILURE_POLICIES, SPAWN_COMPLETION_NAMES

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..node_type import CONTAINER, NodeType
from .common import RESULT_VAR

NODE_TYPE = NodeType(
    "spawner",
    "Spawner",
    "Concurrent child workflows over a list, dependency-aware.",
    "concurrency",
    "layers",
    fields=(
        Field("items", "expression", required=True, example="[]"),
        Field("workflow", "slug", required=True, label="Child workflow", example="child-workflow"),
        Field("item_key", "expression", label="Item key", default="item"),
        Field("input", "expression", label="Per-item input", default="item"),
        Field("child_id", "expression", label="Child id"),
        Field("depends_on", "expression", label="Depends on", help="Keys this item waits for."),
        Field("max_concurrency", "expression", label="Max concurrency", default="4", minimum=1, maximum=10_000),
        Field("on_failure", "choice", choices=FAILURE_POLICIES, default="skip_dependents"),
        RESULT_VAR,
    ),
    role=CONTAINER,
    slots=("on_complete",),
    out_edges=("next", "error"),
    result_field="result_var",
    slot_names=SPAWN_COMPLETION_NAMES,
    item_fields=("item_key", "input", "child_id", "depends_on"),
    drawing=Drawing(
        "container",
        badges=(
            BadgeSpec(
                "max {max_concurrency}", "concurrency", "At most {max_concurrency} children run at the same time"
            ),
            BadgeSpec(
                "dependency-aware",
                "concurrency",
                "A child starts only when its dependencies completed",
                when="depends_on",
            ),
            BadgeSpec("→ {workflow}", "info", "Child workflow started per item"),
        ),
        slot_titles={"on_complete": "on each completed child"},
    ),
)
