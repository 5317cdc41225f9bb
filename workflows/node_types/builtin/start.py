"""start: where the workflow begins; manual or cron trigger, and the input it declares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..drawing import Badge, Drawing, cron_in_words
from ..fields import Field
from ..graph_rules import GraphProblem, GraphView
from ..input_values import field_problems
from ..node_type import ENTRY, NodeType, required_when

# The settings a schedule reads: shown in the inspector for a cron trigger only.
CRON_ONLY = ("trigger", "cron")
# How a schedule treats a run that is due while the previous one still runs (compiler/schedules).
SCHEDULE_OVERLAP = ("skip", "buffer_one", "buffer_all", "cancel_other", "terminate_other", "allow_all")


def trigger_badge(config: Mapping[str, Any]) -> Badge:
    """The cron in words (`0 */30 * * *` reads like nothing), or "manual"."""
    if config.get("trigger") == "cron" and config.get("cron"):
        words = cron_in_words(config["cron"])
        return Badge(words, "cron", f"Cron {config['cron']} ({config.get('timezone', 'UTC')}): {words}")
    return Badge("manual", "info", "Started by hand, from the API or by another workflow")


def one_top_level_start(view: GraphView) -> Iterator[GraphProblem]:
    """Exactly one start, at the top level: it is where the workflow's flow begins."""
    starts = sorted(view.nodes, key=lambda node: node.parent is not None)
    if not starts:
        yield GraphProblem(
            "The workflow has no start node", "add a Start node at the top level and connect it to the first step"
        )
    for extra in starts[1:]:
        yield GraphProblem(
            f"More than one start node: '{starts[0].key}' is already the start",
            "delete this node; a workflow has exactly one start",
            node=extra.key,
        )
    for start in starts:
        if start.parent is not None:
            yield GraphProblem(
                f"The start node must be at the top level, not inside '{start.parent}'",
                "move it out of the container",
                node=start.key,
                field="parent",
            )


def example_fits_the_input(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The example input prefills the run form, so it must be an input a run accepts (the same check)."""
    example = config.get("example_input")
    if not example:
        return []
    problems = field_problems(config.get("input_fields") or [], example, what="example_input")
    return [
        ("example_input", message if name == "example_input" else f"{name}: {message}")
        for name, messages in problems.items()
        for message in messages
    ]


NODE_TYPE = NodeType(
    "start",
    "Start",
    "Entry of the workflow: manual or cron trigger, declares the input.",
    "flow",
    "play",
    fields=(
        Field("trigger", "choice", choices=("manual", "cron"), default="manual"),
        Field("cron", "cron", help="Five fields, e.g. */30 * * * * (every 30 minutes).", shown_when=CRON_ONLY),
        Field("timezone", "timezone", default="UTC", shown_when=CRON_ONLY),
        Field("overlap_policy", "choice", choices=SCHEDULE_OVERLAP, default="skip", shown_when=CRON_ONLY),
        Field("input_fields", "input_fields", label="Input fields", default=[]),
        Field(
            "example_input",
            "json",
            label="Example input",
            help="Prefills the run form; it must be an input the fields above accept.",
        ),
        Field("cron_input", "json", label="Input for scheduled runs", default={}, shown_when=CRON_ONLY),
        Field(
            "workflow_id",
            "text",
            label="Fixed workflow id",
            help="Scheduled runs use this id (one running instance at a time).",
            shown_when=CRON_ONLY,
        ),
    ),
    role=ENTRY,
    checks=(
        required_when("trigger", "cron", "cron", "is required when the trigger is cron"),
        example_fits_the_input,
    ),
    graph_checks=(one_top_level_start,),
    drawing=Drawing("pill", badges=(trigger_badge,)),
)
