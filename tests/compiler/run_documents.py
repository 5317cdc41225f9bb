"""A workflow for the run tests: typed input, an activity, a signal it waits for, a result."""

from __future__ import annotations


def greeter_document(identifier: str = "greeter", *, cron: str = "", overlap: str = "skip") -> dict:
    """start(name, nap) -> nap activity -> wait for `approve` (payload: by) -> note timer -> end.

    The loop waits for the signal (its body never runs: the loop ends once
    approved), so a run stays open until a test signals it; `nap` seconds
    of the built-in sleep activity make a step with an input and an output.
    """
    start = {
        "trigger": "cron" if cron else "manual",
        "input_fields": [
            {"name": "name", "type": "str", "required": True},
            {"name": "nap", "type": "float", "required": False, "default": 0},
        ],
    }
    if cron:
        start.update(cron=cron, cron_input={"name": "scheduled"}, overlap_policy=overlap)
    return {
        "format": "workflow-studio/v1",
        "identifier": identifier,
        "name": identifier.title(),
        "description": "",
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": start},
            {"key": "approved", "type": "state", "label": "Approved", "config": {"name": "approved", "type": "bool"}},
            {"key": "approvers", "type": "state", "label": "By", "config": {"name": "approvers", "type": "list"}},
            {
                "key": "on-approve",
                "type": "signal_handler",
                "label": "Approve",
                "config": {
                    "signal": "approve",
                    "payload_fields": [{"name": "by", "type": "str", "required": True}],
                    "actions": [
                        {"op": "set", "var": "approved", "value": "True"},
                        {"op": "append", "var": "approvers", "value": "payload.by"},
                    ],
                },
            },
            {
                "key": "nap",
                "type": "activity",
                "label": "Nap",
                "config": {"activity": "sleep", "args": {"seconds": "input.nap"}, "result_var": "napped"},
            },
            {
                "key": "wait-approval",
                "type": "loop",
                "label": "Wait for approval",
                "config": {"while_expression": "not approved", "wait_for": "approved"},
            },
            {
                "key": "tick",
                "type": "timer",
                "label": "Tick",
                "parent": "wait-approval",
                "config": {"duration": "1"},
            },
            {"key": "note", "type": "timer", "label": "Note", "config": {"duration": "0.1"}},
            {
                "key": "done",
                "type": "end",
                "label": "Done",
                "config": {"result": "{'greeted': input.name, 'by': approvers, 'napped': napped}"},
            },
        ],
        "edges": [
            {"source": "start", "target": "nap", "kind": "next"},
            {"source": "nap", "target": "wait-approval", "kind": "next"},
            {"source": "wait-approval", "target": "note", "kind": "next"},
            {"source": "note", "target": "done", "kind": "next"},
        ],
    }


def flaky_document(identifier: str = "flaky") -> dict:
    """start -> an HTTP call to a closed port, 3 attempts 1 s apart -> end: the run retries, then fails."""
    return {
        "format": "workflow-studio/v1",
        "identifier": identifier,
        "name": identifier.title(),
        "description": "",
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": {}},
            {
                "key": "call",
                "type": "activity",
                "label": "Call",
                "config": {
                    "activity": "http_request",
                    "args": {"url": "'http://127.0.0.1:1/'", "timeout_seconds": "1"},
                    "retry": {"max_attempts": 3, "initial_interval": 1.0, "backoff_coefficient": 1.0},
                },
            },
            {"key": "done", "type": "end", "label": "Done", "config": {}},
        ],
        "edges": [
            {"source": "start", "target": "call", "kind": "next"},
            {"source": "call", "target": "done", "kind": "next"},
        ],
    }
