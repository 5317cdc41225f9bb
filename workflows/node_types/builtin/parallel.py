"""parallel: fixed branches that run side by side and join; the first failing branch cancels the others.

Slots are fixed per type, so the type declares the most branches it can
have (`PARALLEL_BRANCHES` in vocabulary.py) and the `branches` count says
how many of them this node runs; nodes in a slot beyond the count are a
validation error (compiler/validate/concurrent.py). The canvas draws every
slot, so a node left in an unused one stays visible where the error points.
"""

from __future__ import annotations

from vocabulary import PARALLEL_BRANCHES, PARALLEL_MIN_BRANCHES

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..node_type import CONTAINER, NodeType

NODE_TYPE = NodeType(
    "parallel",
    "Parallel",
    "Runs two or more branches at the same time and joins them.",
    "concurrency",
    "columns",
    fields=(
        Field(
            "branches",
            "int",
            default=PARALLEL_MIN_BRANCHES,
            minimum=PARALLEL_MIN_BRANCHES,
            maximum=len(PARALLEL_BRANCHES),
            help="How many branches run side by side (branch 1, branch 2, ...).",
        ),
    ),
    role=CONTAINER,
    slots=PARALLEL_BRANCHES,
    out_edges=("next", "error"),
    drawing=Drawing(
        "container",
        badges=(BadgeSpec("{branches} branches", "concurrency", "Runs {branches} branches at the same time"),),
        slot_titles={slot: slot.replace("_", " ") for slot in PARALLEL_BRANCHES},
    ),
)
