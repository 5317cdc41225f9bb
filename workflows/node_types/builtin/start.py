"""start: where the workflow begins; manual or cron trigger, and the input it declares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..drawing import Badge, Drawing, cron_in_words
from ..fields import Field
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
    checks=(required_when("trigger", "cron", "cron", "is required when the trigger is cron"),),
    drawing=Drawing("pill", badges=(trigger_badge,)),
)
