"""spawner: concurrent child workflows over a list of items, dependency-aware."""

from __future__ import annotations

from vocabulary import FAILURE_POLICIES, SPAWN_COMPLETION_NAMES

from ..drawing import BadgeSpec, Drawing
from ..fields import MAX_COUNT, Field
from ..node_type import CONTAINER, NodeType
from .common import RESULT_VAR

# Temporal warns at 10,240 events and fails a run at 51,200; this leaves room for the children
# still running and their on_complete steps (benchmarks/spawner_5000.py measures a run).
CONTINUE_AS_NEW_EVENTS = 5_000

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
        Field(
            "continue_as_new_events",
            "int",
            label="Continue-as-new after N history events",
            default=CONTINUE_AS_NEW_EVENTS,
            minimum=1,
            maximum=MAX_COUNT,
            help="Once the run's history has this many events the spawner starts nothing new, lets the running"
            " children finish and continues as new with the items left; the new run skips the steps before it."
            " Only for a fixed list outside loops, branches, retry blocks and parallel branches. Empty: never.",
        ),
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
