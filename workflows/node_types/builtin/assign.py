"""assign: sets state or result variables from expressions, without an activity (Step Functions' Pass).

A counter, a running total or a message put together from earlier results
needs no activity and leaves no event in the history: the values are
computed in the workflow itself. Each key of `values` is a variable: a
declared state variable is overwritten, any other name becomes a result
variable that later steps read, as an activity's `result_var` would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..drawing import Badge, Drawing
from ..fields import Field
from ..node_type import NodeType


def sets_badge(config: Mapping[str, Any]) -> Badge | None:
    """ "sets count, total": the variables the node writes, in name order."""
    names = sorted(str(name) for name in (config.get("values") or {}))
    if not names:
        return None
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return Badge(f"sets {shown}", "info", "Sets " + ", ".join(names) + " (no activity, no history event)")


NODE_TYPE = NodeType(
    "assign",
    "Assign",
    "Sets state or result variables from expressions; no activity.",
    "data",
    "equals",
    fields=(
        Field(
            "values",
            "expression_map",
            required=True,
            label="Values",
            help="Variable -> expression, e.g. count -> count + 1; all are computed before any is set.",
            example={"value": "None"},
        ),
    ),
    result_field="values",
    drawing=Drawing(badges=(sets_badge,)),
)
