"""parallel: fixed branches that run side by side and join; the first failing branch cancels the others.

Slots are fixed per type, so the type declares the most branches it can
have (`PARALLEL_BRANCHES` in vocabulary.py) and the `branches` count says
how many of them this node runs; nodes in a slot beyond the count are a
validation error, a used branch without steps a warning (`branches_in_use`).
The canvas draws every slot, so a node left in an unused one stays visible
where the error points.
"""

from __future__ import annotations

from collections.abc import Iterator

from vocabulary import PARALLEL_BRANCHES, PARALLEL_MIN_BRANCHES

from ..drawing import BadgeSpec, Drawing
from ..fields import Field
from ..graph_rules import WARNING, GraphProblem, GraphView
from ..node_type import CONTAINER, NodeType


def branches_in_use(view: GraphView) -> Iterator[GraphProblem]:
    """Steps stand only in the branches that run, and each branch that runs has steps."""
    for node in view.nodes:
        if node.key not in view.placed:
            continue
        count = view.configs[node.key].get("branches")
        count = count if isinstance(count, int) else PARALLEL_MIN_BRANCHES
        members = view.slot_members.get(node.key, {})
        for index, slot in enumerate(PARALLEL_BRANCHES):
            words = slot.replace("_", " ")
            if index >= count:
                for key in members.get(slot, ()):
                    yield GraphProblem(
                        f"'{node.key}' runs {count} branches, so nothing in {words} would run",
                        f"raise the branches of '{node.key}' or move this step into one of the first {count}",
                        node=key,
                        field="slot",
                    )
            elif not members.get(slot):
                yield GraphProblem(
                    f"{words.capitalize()} of '{node.key}' has no steps",
                    "add steps to it or lower the number of branches",
                    node=node.key,
                    field="branches",
                    severity=WARNING,
                )


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
    graph_checks=(branches_in_use,),
    drawing=Drawing(
        "container",
        badges=(BadgeSpec("{branches} branches", "concurrency", "Runs {branches} branches at the same time"),),
        slot_titles={slot: slot.replace("_", " ") for slot in PARALLEL_BRANCHES},
    ),
)
