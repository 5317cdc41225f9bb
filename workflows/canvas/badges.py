"""Small labels on canvas nodes: what a node does beyond its name, in words.

A badge is short text for the node plus a longer title for the tooltip and
screen readers. Crons are always shown in words (cron_descriptor), because
`0 */30 * * *` reads like "every 30 minutes" and is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.node_types.cron import describe_cron


@dataclass(frozen=True)
class Badge:
    text: str
    kind: str  # css modifier: retry, concurrency, cron, signal, loop, error, info
    title: str = ""


def _seconds(value) -> str:
    if value is None:
        return "no limit"
    value = float(value)
    if value >= 3600 and value % 3600 == 0:
        return f"{value / 3600:g}h"
    if value >= 60 and value % 60 == 0:
        return f"{value / 60:g}m"
    return f"{value:g}s"


def cron_in_words(cron: str) -> str:
    """`*/30 * * * *` -> "Every 30 minutes"; the raw text if it cannot be described."""
    return describe_cron(cron, fallback=cron)


def retry_policy_badge(policy: dict | None) -> Badge | None:
    if not policy:
        return None
    attempts = policy.get("max_attempts", 0)
    if attempts == 1:
        return Badge("no retry", "retry", "Retry policy: a single attempt")
    count = "∞" if not attempts else f"{attempts}×"
    backoff = f"{_seconds(policy.get('initial_interval', 1.0))} ×{policy.get('backoff_coefficient', 2.0):g}"
    title = (
        f"Retry policy: {attempts or 'unlimited'} attempts, first retry after "
        f"{_seconds(policy.get('initial_interval', 1.0))}, backoff ×{policy.get('backoff_coefficient', 2.0):g}, "
        f"at most {_seconds(policy.get('maximum_interval'))} between attempts"
    )
    return Badge(f"retry {count} {backoff}", "retry", title)


def _retry_block(config: dict) -> list[Badge]:
    attempts = config.get("max_attempts", 3)
    backoff = config.get("backoff", "exponential")
    if backoff == "none":
        detail = "no backoff"
    else:
        detail = f"{backoff[:3]} {_seconds(config.get('initial_interval', 1.0))}"
        if backoff == "exponential":
            detail += f" ×{config.get('multiplier', 2.0):g}"
    title = f"Retries its body up to {attempts} times, {backoff} backoff"
    badges = [Badge(f"{attempts} attempts · {detail}", "retry", title)]
    if config.get("on_exhausted") == "error_edge":
        badges.append(Badge("exhausted → error edge", "error", "When all attempts fail, the error edge is taken"))
    return badges


def _spawner(config: dict) -> list[Badge]:
    limit = config.get("max_concurrency") or "4"
    badges = [Badge(f"max {limit}", "concurrency", f"At most {limit} children run at the same time")]
    if config.get("depends_on"):
        badges.append(Badge("dependency-aware", "concurrency", "A child starts only when its dependencies completed"))
    badges.append(Badge(f"→ {config.get('workflow', '?')}", "info", "Child workflow started per item"))
    return badges


def _loop(config: dict) -> list[Badge]:
    badges = [Badge(f"while {config.get('while_expression', 'True')}", "loop", "Repeats its body while this holds")]
    if config.get("wait_for"):
        badges.append(Badge(f"waits for {config['wait_for']}", "loop", "Waits until true before each iteration"))
    reasons = []
    if config.get("continue_as_new_suggested", True):
        reasons.append("when suggested")
    if config.get("continue_as_new_iterations"):
        reasons.append(f"every {config['continue_as_new_iterations']} iterations")
    if config.get("continue_as_new_seconds"):
        reasons.append(f"after {_seconds(config['continue_as_new_seconds'])}")
    if reasons:
        badges.append(Badge("continue-as-new", "loop", "Continues as new " + ", ".join(reasons)))
    return badges


def _start(config: dict) -> list[Badge]:
    if config.get("trigger") == "cron" and config.get("cron"):
        words = cron_in_words(config["cron"])
        return [Badge(words, "cron", f"Cron {config['cron']} ({config.get('timezone', 'UTC')}): {words}")]
    return [Badge("manual", "info", "Started by hand, from the API or by another workflow")]


def _signal_send(config: dict) -> list[Badge]:
    badges = [Badge(f"signal {config.get('signal', '?')}", "signal", "Sends this signal")]
    if config.get("start_if_missing"):
        badges.append(Badge("signal-with-start", "signal", f"Starts {config.get('workflow', '?')} when it is missing"))
    return badges


def node_badges(node_type: str, config: dict, *, has_error_edge: bool = False) -> list[Badge]:
    """The badges of one node, most important first."""
    config = config or {}
    badges: list[Badge] = []
    if node_type in ("activity", "agent"):
        retry = retry_policy_badge(config.get("retry"))
        badges += [retry] if retry else []
    elif node_type == "retry_block":
        badges += _retry_block(config)
    elif node_type == "spawner":
        badges += _spawner(config)
    elif node_type == "loop":
        badges += _loop(config)
    elif node_type == "start":
        badges += _start(config)
    elif node_type == "signal_send":
        badges += _signal_send(config)
    elif node_type == "signal_handler":
        badges.append(Badge(f"on signal {config.get('signal', '?')}", "signal", "Runs when this signal arrives"))
    elif node_type == "query":
        badges.append(Badge(f"query {config.get('name', '?')}", "signal", "Answers this query"))
    elif node_type == "timer":
        badges.append(Badge(f"sleep {config.get('duration', '?')}", "info", "Durable sleep (seconds)"))
    elif node_type == "child_workflow":
        mode = "" if config.get("wait", True) else " · fire and forget"
        badges.append(Badge(f"→ {config.get('workflow', '?')}{mode}", "info", "Starts this workflow of the project"))
    elif node_type == "dependency_graph":
        badges.append(Badge(f"layers → {config.get('output_var', '?')}", "concurrency", "Build order, in layers"))
    if has_error_edge:
        badges.append(Badge("on error →", "error", "A failure takes the error edge instead of failing the workflow"))
    return badges


def node_subtitle(node_type: str, config: dict) -> str:
    """One line under the label: the thing a reader looks for first."""
    config = config or {}
    if node_type == "activity":
        return config.get("activity", "")
    if node_type == "agent":
        return f"agent {config.get('model') or ''}".strip()
    if node_type == "condition":
        return config.get("expression", "")
    if node_type == "state":
        return f"{config.get('name', '?')}: {config.get('type', 'any')}"
    if node_type == "signal_handler":
        return f"signal {config.get('signal', '?')}"
    if node_type == "query":
        return config.get("name", "")
    if node_type == "end":
        return config.get("result", "") or ""
    return ""
