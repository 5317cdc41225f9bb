"""Small workflow documents for the deploy and worker tests."""

from __future__ import annotations


def gate_document(*, result: str = "v1", warm_up: bool = True, identifier: str = "gate") -> dict:
    """start -> [warm-up timer 1 s] -> wait `input.delay` s -> end `result`.

    Dropping the warm-up timer makes the new code non-deterministic for runs
    that already recorded it, which is what the replay check must notice.
    """
    flow = (["warm-up"] if warm_up else []) + ["wait"]
    nodes = [
        {
            "key": "start",
            "type": "start",
            "label": "Start",
            "config": {
                "trigger": "manual",
                "input_fields": [{"name": "delay", "type": "float", "required": False, "default": 0}],
            },
        },
        *([{"key": "warm-up", "type": "timer", "label": "Warm up", "config": {"duration": "1"}}] if warm_up else []),
        {"key": "wait", "type": "timer", "label": "Wait", "config": {"duration": "input.delay"}},
        {"key": "done", "type": "end", "label": "Done", "config": {"result": repr(result)}},
    ]
    chain = ["start", *flow, "done"]
    edges = [{"source": a, "target": b, "kind": "next"} for a, b in zip(chain, chain[1:], strict=False)]
    return {
        "format": "workflow-studio/v1",
        "identifier": identifier,
        "name": identifier.title(),
        "description": "",
        "nodes": nodes,
        "edges": edges,
    }


def released_gate_document(*, result: str = "v1", warm_up: bool = True, identifier: str = "gate") -> dict:
    """start -> [warm-up timer 1 s] -> wait until the `release` signal -> end `result`.

    The wait is a loop with no body: it waits for `released` and ends as
    soon as `not released` is false, so a run stays open until someone
    signals it, however long a deploy takes. Dropping the warm-up timer makes
    the new code non-deterministic for runs that already recorded it.
    """
    chain = ["start", *(["warm-up"] if warm_up else []), "wait", "done"]
    nodes = [
        {"key": "start", "type": "start", "label": "Start", "config": {"trigger": "manual"}},
        {"key": "released", "type": "state", "label": "Released", "config": {"name": "released", "type": "bool"}},
        {
            "key": "on-release",
            "type": "signal_handler",
            "label": "Release",
            "config": {"signal": "release", "actions": [{"op": "set", "var": "released", "value": "True"}]},
        },
        *([{"key": "warm-up", "type": "timer", "label": "Warm up", "config": {"duration": "1"}}] if warm_up else []),
        {
            "key": "wait",
            "type": "loop",
            "label": "Wait for release",
            "config": {"while_expression": "not released", "wait_for": "released"},
        },
        {"key": "done", "type": "end", "label": "Done", "config": {"result": repr(result)}},
    ]
    return {
        "format": "workflow-studio/v1",
        "identifier": identifier,
        "name": identifier.title(),
        "description": "",
        "nodes": nodes,
        "edges": [{"source": a, "target": b, "kind": "next"} for a, b in zip(chain, chain[1:], strict=False)],
    }


def broken_document(identifier: str = "broken") -> dict:
    """A graph that validates with an error: it calls an activity nobody registered."""
    document = gate_document(identifier=identifier, warm_up=False)
    document["nodes"].insert(
        1,
        {"key": "mystery", "type": "activity", "label": "Mystery", "config": {"activity": "no_such_activity"}},
    )
    document["edges"] = [
        {"source": "start", "target": "mystery", "kind": "next"},
        {"source": "mystery", "target": "wait", "kind": "next"},
        {"source": "wait", "target": "done", "kind": "next"},
    ]
    return document


def relay_document(identifier: str = "relay", *, seconds: tuple[float, ...] = (1, 4, 1)) -> dict:
    """start -> step-1 -> step-2 -> ... (the built-in `sleep` activity) -> end with every step's result.

    Each step heartbeats every second with a 2 s heartbeat timeout, so a step
    whose worker died is retried after 2 s, not after its full timeout.
    """
    keys = [f"step-{n}" for n in range(1, len(seconds) + 1)]
    steps = [
        {
            "key": key,
            "type": "activity",
            "label": f"Step {n}",
            "config": {
                "activity": "sleep",
                "args": {"seconds": repr(duration)},
                "result_var": key.replace("-", "_"),
                "heartbeat_timeout": 2.0,
                "start_to_close_timeout": 60.0,
            },
        }
        for n, (key, duration) in enumerate(zip(keys, seconds, strict=True), start=1)
    ]
    result = "[" + ", ".join(key.replace("-", "_") for key in keys) + "]"
    chain = ["start", *keys, "done"]
    return {
        "format": "workflow-studio/v1",
        "identifier": identifier,
        "name": identifier.title(),
        "description": "",
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": {"trigger": "manual"}},
            *steps,
            {"key": "done", "type": "end", "label": "Done", "config": {"result": result}},
        ],
        "edges": [{"source": a, "target": b, "kind": "next"} for a, b in zip(chain, chain[1:], strict=False)],
    }
