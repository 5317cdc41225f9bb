"""Cron expressions in words, for diagnostics, badges, pages and schedules.

The original system showed raw cron text and nobody noticed that
`0 */30 * * *` meant once a day; every place that shows a cron shows this.
"""

from cron_descriptor import get_description


def describe_cron(cron: str, fallback: str | None = None) -> str | None:
    """`*/30 * * * *` -> "Every 30 minutes"; `fallback` when the describer cannot read it."""
    try:
        return get_description(cron)
    except Exception:  # noqa: BLE001 - cron_descriptor raises several unrelated types for bad input
        return fallback
